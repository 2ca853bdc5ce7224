"""Counselling in the case's language (never another), and day-care places within capacity
(the next day guest waits: Zwenkau waitlists its places in the demo data)."""

import asyncio
from datetime import date, datetime, time

from cq_scheduling.bookings.case_needs import book_case_needs
from cq_shared.contracts import Language, NeedType
from cq_shared.contracts.intake import CaseOpened
from cq_shared.contracts.scheduling import (
    BookingConfirmed,
    BookingUnavailable,
    PlaceWaitlisted,
)
from cq_shared.service import ServiceContext
from cq_shared.sites import load_site_catalogue
from cq_testing import outbox_of

from .support import NOW, bookings_of, case_opened, need

SITE = load_site_catalogue()["koeln-chorweiler"]
SITE_ZONE = SITE.zone
at_local = SITE.at

CHORWEILER = "koeln-chorweiler"


async def _handle(context: ServiceContext, case: CaseOpened) -> None:
    async with context.database.unit_of_work() as session:
        await book_case_needs(session, context, case)


async def test_turkish_counselling_gets_the_first_free_slots_of_the_turkish_speaker(
    serve, bearer, demo_app
) -> None:
    cases = [
        case_opened(CHORWEILER, need(NeedType.COUNSELLING), language=Language.TR) for _ in range(3)
    ]
    nobody_speaks = case_opened(CHORWEILER, need(NeedType.COUNSELLING), language=Language.UK)
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        # Three at once: each gets its own slot, and together the first three of the day.
        await asyncio.gather(*(_handle(context, case) for case in cases))
        await _handle(context, nobody_speaks)

        today = NOW.astimezone(SITE_ZONE).date()
        starts = set()
        for case in cases:
            [(event_type, data)] = await outbox_of(context.database, case.case_id)
            assert event_type == BookingConfirmed.event_type
            booked = BookingConfirmed.model_validate(data)
            assert (booked.staff_name, booked.staff_language) == ("Ayşe Demir", Language.TR)
            assert booked.resource_type == "counselling"
            starts.add(booked.start)
        assert starts == {at_local(today, time(hour)) for hour in (9, 10, 11)}

        [(event_type, data)] = await outbox_of(context.database, nobody_speaks.case_id)
        assert event_type == BookingUnavailable.event_type
        assert BookingUnavailable.model_validate(data).reason == "no_staff_with_language"
        assert await bookings_of(context.database, nobody_speaks.case_id) == []

        coordinator = bearer("coordinator", CHORWEILER)
        free = await client.get(f"/v1/sites/{CHORWEILER}/slots?language=tr", headers=coordinator)
        assert free.status_code == 200, free.text
        first_free = free.json()[0]
        assert first_free["staff_name"] == "Ayşe Demir"
        assert datetime.fromisoformat(first_free["start"]) == at_local(today, time(12))
        listed = await client.get(f"/v1/bookings?case_id={cases[0].case_id}", headers=coordinator)
        [row] = listed.json()
        assert row["staff_name"] == "Ayşe Demir"
        assert row["resource_name"] == "dieKümmerei, Quartiersbüro Chorweiler"


async def test_day_care_places_are_booked_up_to_the_daily_capacity(serve, demo_app) -> None:
    day = date(2030, 3, 5)
    async with serve(demo_app):
        context: ServiceContext = demo_app.state.context
        capacity = 12  # Tagespflegeplätze in Zwenkau (demo_data.toml)
        guests = [case_opened("zwenkau", need(NeedType.DAY_CARE, day)) for _ in range(capacity + 1)]
        await asyncio.gather(*(_handle(context, guest) for guest in guests))
        elsewhere = case_opened("kaiserslautern", need(NeedType.DAY_CARE, day))
        await _handle(context, elsewhere)

        results = [(await outbox_of(context.database, guest.case_id))[0] for guest in guests]
        confirmed = [data for kind, data in results if kind == BookingConfirmed.event_type]
        waiting = [data for kind, data in results if kind == PlaceWaitlisted.event_type]
        assert len(confirmed) == capacity
        assert len({data["resource_name"] for data in confirmed}) == capacity
        assert [data["position"] for data in waiting] == [1]
        [(_, data)] = await outbox_of(context.database, elsewhere.case_id)
        assert data["reason"] == "no_resource"
