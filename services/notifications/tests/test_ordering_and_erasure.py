"""A booking that overtakes the recipients is delivered once they arrive (inbox retries);
erasing the case then forgets the people and anonymises the deliveries."""

import uuid

import pytest

from cq_notifications.main import build_app
from cq_shared.contracts.common import Language, RecipientRole

from . import samples
from .support import Publisher, mails_arrived, metric, scalar, wait_for


async def test_booking_before_recipients_is_delivered_after_retries_then_erased(
    serve, bearer, infrastructure, publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A retry budget of several seconds (30 attempts, at most 0.3 s apart).
    monkeypatch.setenv("CQ_MESSAGING_MAX_ATTEMPTS", "30")
    sink, tag, case_id = infrastructure.smtp, samples.tag(), uuid.uuid4()
    son = samples.recipient(
        RecipientRole.RELATIVE, "Markus", "Weber", Language.DE, f"markus-{tag}@example.org"
    )
    app = build_app()
    async with serve(app) as client:
        retries = 'event_type="de.drk.carequartier.scheduling.booking.confirmed.v1"'
        before = await metric(client, "handler_retries_total", retries)
        await publisher.publish(samples.booking_confirmed(case_id))

        async def retried() -> bool:
            return await metric(client, "handler_retries_total", retries) > before

        # The handler has met the missing recipients and is retrying; now they arrive.
        await wait_for(retried, what="the booking to wait for its recipients")
        await publisher.publish(samples.registered(case_id, son))

        mail = (await wait_for(lambda: mails_arrived(sink, son.email)))[son.email]
        assert mail["Subject"] == "Ihre Buchung ist bestätigt: Pflegegästewohnung"
        body = mail.get_content()
        assert "Wann: Dienstag, 4. März 2025, 10:00 Uhr, bis Dienstag, 18. März 2025" in body
        assert "Ihre Ansprechperson: Frau Kaya" in body

        database = app.state.database

        async def settled() -> bool:
            return (
                await scalar(database, "SELECT count(*) FROM deliveries WHERE status = 'sent'") == 1
            )

        await wait_for(settled, what="the delivery to be marked sent")
        # Once sent, the rendered text (with names) is no longer kept.
        assert await scalar(database, "SELECT count(*) FROM deliveries WHERE body IS NULL") == 1

        await publisher.publish(samples.case_erased(case_id))

        async def erased() -> bool:
            return (
                await scalar(database, "SELECT count(*) FROM cases WHERE erased_at IS NOT NULL")
                == 1
            )

        await wait_for(erased, what="the erasure")
        assert await scalar(database, "SELECT count(*) FROM recipients") == 0
        listed = await client.get(
            "/v1/deliveries",
            params={"case_id": str(case_id)},
            headers=bearer("coordinator", samples.SITE),
        )
        [delivery] = listed.json()
        assert delivery["status"] == "sent"
        assert delivery["recipient_address"] is None

        # A late event for the erased case is skipped, not retried into the DLQ.
        await publisher.publish(samples.booking_unavailable(case_id))
        skipped = 'consumer="notifications.case-updates"'
        processed = await metric(client, "events_consumed_total", skipped, 'outcome="processed"')

        async def consumed() -> bool:
            now = await metric(client, "events_consumed_total", skipped, 'outcome="processed"')
            return now > processed

        await wait_for(consumed, what="the late event")
        assert await scalar(database, "SELECT count(*) FROM deliveries") == 1
