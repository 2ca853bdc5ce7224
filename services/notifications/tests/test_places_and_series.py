"""A waiting place and a recurring need's series reach the person (issue 9, journey 5): a
single day's wait, offer, promotion and expired offer are each mailed; a series is mailed once
per change that matters (booked, a day promoted, days cancelled), never per day, and not for
a change that leaves its figures as they were."""

import uuid
from datetime import UTC, datetime

from cq_notifications.main import build_app
from cq_shared.contracts.common import Language, RecipientRole
from cq_shared.contracts.scheduling import (
    PlaceOffered,
    PlacePromoted,
    PlaceWaitEnded,
    PlaceWaitlisted,
    SeriesOccurrence,
)
from cq_testing import Publisher, eventually, scalar

from . import samples
from .support import mails_to


async def _subjects(sink, address: str, count: int) -> list[str]:
    async def arrived() -> list[str] | None:
        mails = mails_to(sink, address)
        return [str(mail["Subject"]) for mail in mails] if len(mails) >= count else None

    return await eventually(arrived, what=f"{count} mails to {address}")


async def test_a_single_day_waits_is_offered_and_promoted(
    serve, infrastructure, publisher: Publisher
) -> None:
    sink, case_id = infrastructure.smtp, uuid.uuid4()
    address = f"ute-{samples.tag()}@example.org"
    client = samples.recipient(RecipientRole.CLIENT, "Ute", "Lange", Language.DE, address)
    need = uuid.uuid4()
    async with serve(build_app()):
        await publisher.send(samples.registered(case_id, client))
        day = {"need_id": need}
        await publisher.send(samples.place_event(PlaceWaitlisted, case_id, **day, position=4))
        held = {"booking_id": uuid.uuid4(), "resource_name": "Platz 2"}
        deadline = datetime(2025, 3, 2, 17, 0, tzinfo=UTC)
        offered = samples.place_event(PlaceOffered, case_id, **day, **held, expires_at=deadline)
        await publisher.send(offered)
        # Declined: the person's own answer, not told back.
        await publisher.send(samples.place_event(PlaceWaitEnded, case_id, **day, status="declined"))
        await publisher.send(samples.place_event(PlacePromoted, case_id, **day, **held))
        await publisher.send(samples.place_event(PlaceWaitEnded, case_id, **day, status="expired"))
        subjects = await _subjects(sink, address, 4)
        assert sorted(subjects) == sorted(
            [
                "Sie stehen auf der Warteliste: Tagespflegeplatz",
                "Ein Platz ist für Sie frei geworden: Tagespflegeplatz",
                "Sie haben jetzt einen Platz: Tagespflegeplatz",
                "Der für Sie freigehaltene Platz ist vergeben: Tagespflegeplatz",
            ]
        )
        [first] = [m.get_content() for m in mails_to(sink, address) if "Warteliste" in m["Subject"]]
        assert "Ihr Platz auf der Warteliste: 4" in first
        assert "Dienstag, 4. März 2025, 08:00 bis 17:00 Uhr" in first


async def test_a_series_is_mailed_once_per_change_that_matters(
    serve, infrastructure, publisher: Publisher
) -> None:
    sink, case_id = infrastructure.smtp, uuid.uuid4()
    address = f"rolf-{samples.tag()}@example.org"
    relative = samples.recipient(RecipientRole.RELATIVE, "Rolf", "Jahn", Language.DE, address)
    need = uuid.uuid4()
    app = build_app()
    async with serve(app):
        await publisher.send(samples.registered(case_id, relative))
        booked = samples.series_changed(case_id, need)
        await publisher.send(booked)
        [subject] = await _subjects(sink, address, 1)
        assert subject == "Ihre Tagespflege ist gebucht: 3 von 4 Tagen"
        text = mails_to(sink, address)[0].get_content()
        assert "Ihr erster Tag: Dienstag, 4. März 2025" in text
        assert "Warteliste, bis ein Platz frei wird: Donnerstag, 6. März 2025" in text

        # 6 March promoted: the day's own event and the series' state, one mail.
        day = {"need_id": need, "booking_id": uuid.uuid4(), "resource_name": "Platz 1"}
        await publisher.send(samples.place_event(PlacePromoted, case_id, **day))
        every_day = [SeriesOccurrence(date=o.date, status="booked") for o in booked.occurrences]
        promoted = booked.model_copy(
            update={"booked": 4, "waitlisted_dates": [], "occurrences": every_day}
        )
        # Told as "cancelled" by a transaction that cancelled another series: the figures
        # say what happened to this one.
        await publisher.send(promoted.model_copy(update={"change": "cancelled"}))
        # The same state again (a wait elsewhere withdrawn): nothing to tell.
        await publisher.send(promoted.model_copy(update={"change": "promoted"}))
        cancelled_days = [
            o if o.date.day < 11 else SeriesOccurrence(date=o.date, status="cancelled")
            for o in every_day
        ]
        cancelled = promoted.model_copy(
            update={"change": "cancelled", "total": 2, "booked": 2, "occurrences": cancelled_days}
        )
        await publisher.send(cancelled)
        subjects = await _subjects(sink, address, 3)
        assert sorted(subjects) == sorted(
            [
                "Ihre Tagespflege ist gebucht: 3 von 4 Tagen",
                "Ein weiterer Tag ist gebucht: 4 von 4 Tagen",
                "Ihre Tagespflege ist geändert: Tage storniert",
            ]
        )
        [gone] = [m.get_content() for m in mails_to(sink, address) if "storniert" in m["Subject"]]
        assert "Storniert ab: Dienstag, 11. März 2025" in gone
        database = app.state.database
        deliveries = "SELECT count(*) FROM deliveries WHERE case_id = :case_id"
        assert await scalar(database, deliveries, case_id=case_id) == 3
        seen = "SELECT total, booked FROM series_seen WHERE need_id = :need_id"
        assert await scalar(database, seen.replace("total, ", ""), need_id=need) == 2
