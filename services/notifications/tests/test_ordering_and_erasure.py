"""A booking that overtakes the recipients is parked and delivered once they arrive, without
holding up later events; erasing the case then forgets the people and anonymises the
deliveries."""

import uuid

from cq_notifications.main import build_app
from cq_shared.contracts.common import Language, RecipientRole
from cq_testing import Publisher, eventually, metric, scalar

from . import samples
from .support import mails_arrived


async def test_booking_before_recipients_is_parked_delivered_when_they_arrive_then_erased(
    serve, bearer, infrastructure, publisher: Publisher
) -> None:
    sink, tag, case_id = infrastructure.smtp, samples.tag(), uuid.uuid4()
    son = samples.recipient(
        RecipientRole.RELATIVE, "Markus", "Weber", Language.DE, f"markus-{tag}@example.org"
    )
    other_case, daughter = (
        uuid.uuid4(),
        samples.recipient(
            RecipientRole.RELATIVE, "Sabine", "Kraus", Language.DE, f"sabine-{tag}@example.org"
        ),
    )
    app = build_app()
    async with serve(app) as client:
        database = app.state.database
        retries = 'event_type="de.drk.carequartier.scheduling.booking.confirmed.v1"'
        retried_before = await metric(client, "handler_retries_total", retries)
        await publisher.send(samples.booking_confirmed(case_id))

        async def parked() -> bool:
            return await scalar(database, "SELECT count(*) FROM parked_events") == 1

        await eventually(parked, what="the booking to be parked until its recipients arrive")
        # Parking does not hold up the consumer: another case's news after it is mailed.
        await publisher.send(samples.registered(other_case, daughter))
        await publisher.send(samples.booking_confirmed(other_case))
        await eventually(lambda: mails_arrived(sink, daughter.email))
        assert not await mails_arrived(sink, son.email)

        await publisher.send(samples.registered(case_id, son))

        mail = (await eventually(lambda: mails_arrived(sink, son.email)))[son.email]
        assert mail["Subject"] == "Ihre Buchung ist bestätigt: Pflegegästewohnung"
        body = mail.get_content()
        assert "Wann: Dienstag, 4. März 2025, 10:00 Uhr, bis Dienstag, 18. März 2025" in body
        assert "Ihre Ansprechperson: Frau Kaya" in body

        assert await scalar(database, "SELECT count(*) FROM parked_events") == 0
        assert await metric(client, "handler_retries_total", retries) == retried_before

        async def settled() -> bool:
            sent = "SELECT count(*) FROM deliveries WHERE status = 'sent' AND case_id = :case"
            return await scalar(database, sent, case=case_id) == 1

        await eventually(settled, what="the delivery to be marked sent")
        # Once sent, the rendered text (with names) is no longer kept.
        body_gone = "SELECT count(*) FROM deliveries WHERE body IS NULL AND case_id = :case"
        assert await scalar(database, body_gone, case=case_id) == 1

        await publisher.send(samples.case_erased(case_id))

        async def erased() -> bool:
            return (
                await scalar(database, "SELECT count(*) FROM cases WHERE erased_at IS NOT NULL")
                == 1
            )

        await eventually(erased, what="the erasure")
        recipients = "SELECT count(*) FROM recipients WHERE case_id = :case"
        assert await scalar(database, recipients, case=case_id) == 0
        listed = await client.get(
            "/v1/deliveries",
            params={"case_id": str(case_id)},
            headers=bearer("coordinator", samples.SITE),
        )
        [delivery] = listed.json()
        assert delivery["status"] == "sent"
        assert delivery["recipient_address"] is None

        # A late event for the erased case is skipped, not retried into the DLQ.
        await publisher.send(samples.booking_unavailable(case_id))
        skipped = 'consumer="notifications.case-updates"'
        processed = await metric(client, "events_consumed_total", skipped, 'outcome="processed"')

        async def consumed() -> bool:
            now = await metric(client, "events_consumed_total", skipped, 'outcome="processed"')
            return now > processed

        await eventually(consumed, what="the late event")
        of_case = "SELECT count(*) FROM deliveries WHERE case_id = :case"
        assert await scalar(database, of_case, case=case_id) == 1
