"""A parked event that can no longer be turned into deliveries (its type gone since it was
parked) stays parked and is logged; it does not fail the registration, which would leave the
case without recipients and every later news item parked for good."""

import uuid

import pytest
from sqlalchemy import text

from cq_notifications.main import build_app
from cq_shared.contracts.common import Language, RecipientRole
from cq_testing import Publisher, eventually, metric, scalar

from . import samples
from .support import mails_arrived

VANISHED = "de.drk.carequartier.scheduling.booking.vanished.v1"


async def test_a_parked_event_that_cannot_be_released_does_not_fail_the_registration(
    serve, infrastructure, publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CQ_NOTIFICATIONS_PARKED_REPORT_SECONDS", "0.2")
    sink, tag, case_id = infrastructure.smtp, samples.tag(), uuid.uuid4()
    son = samples.recipient(
        RecipientRole.RELATIVE, "Jan", "Vogel", Language.DE, f"jan-{tag}@example.org"
    )
    app = build_app()
    async with serve(app) as client:
        database = app.state.database
        parked = "SELECT count(*) FROM parked_events WHERE case_id = :case"
        await publisher.send(samples.booking_confirmed(case_id))

        async def booking_parked() -> bool:
            return await scalar(database, parked, case=case_id) == 1

        await eventually(booking_parked, what="the booking to be parked")
        async with database.unit_of_work() as session:
            await session.execute(
                text(
                    "INSERT INTO parked_events (case_id, event_source, event_id, event_type, "
                    "site, data, parked_at) VALUES (:case, '/sites/x/scheduling', :id, :type, "
                    ":site, '{}', now())"
                ),
                {"case": case_id, "id": str(uuid.uuid4()), "type": VANISHED, "site": samples.SITE},
            )

        await publisher.send(samples.registered(case_id, son))
        mail = (await eventually(lambda: mails_arrived(sink, son.email)))[son.email]
        assert mail["Subject"] == "Ihre Buchung ist bestätigt: Pflegegästewohnung"
        registered = "SELECT count(*) FROM recipients WHERE case_id = :case"
        assert await scalar(database, registered, case=case_id) == 1
        left = "SELECT event_type FROM parked_events WHERE case_id = :case"
        assert await scalar(database, left, case=case_id) == VANISHED

        # It stays visible to operations: the parked-events gauge counts it.
        async def counted() -> bool:
            return await metric(client, "notifications_parked_events", 'measure="count"') >= 1

        await eventually(counted, what="the parked-events gauge")
