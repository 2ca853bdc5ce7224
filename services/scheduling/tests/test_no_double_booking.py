"""Two requests for the same resource and time at once: the database lets exactly one in (the
other waits for the apartment: Kaiserslautern waitlists it in the demo data)."""

import asyncio
from datetime import date

from cq_scheduling.bookings.case_needs import book_case_needs
from cq_shared.contracts import NeedType
from cq_shared.contracts.intake import CaseOpened
from cq_shared.contracts.scheduling import BookingConfirmed, PlaceWaitlisted
from cq_shared.service import ServiceContext
from cq_testing import outbox_of

from .support import bookings_of, case_opened, need


async def _handle(context: ServiceContext, case: CaseOpened) -> None:
    """What the consumer does with one event: its own transaction, its own connection."""
    async with context.database.unit_of_work() as session:
        await book_case_needs(session, context, case)


async def test_the_guest_apartment_requested_twice_at_once_is_booked_once(serve, demo_app) -> None:
    first = case_opened("kaiserslautern", need(NeedType.SHORT_TERM_CARE, date(2030, 3, 6), 7))
    second = case_opened("kaiserslautern", need(NeedType.SHORT_TERM_CARE, date(2030, 3, 8), 7))
    async with serve(demo_app):
        context: ServiceContext = demo_app.state.context
        await asyncio.gather(_handle(context, first), _handle(context, second))

        outcomes = {}
        for case in (first, second):
            [(event_type, data)] = await outbox_of(context.database, case.case_id)
            outcomes[event_type] = (case, data)
            bookings = await bookings_of(context.database, case.case_id)
            assert len(bookings) == (1 if event_type == BookingConfirmed.event_type else 0)
        assert set(outcomes) == {BookingConfirmed.event_type, PlaceWaitlisted.event_type}
        waiting = PlaceWaitlisted.model_validate(outcomes[PlaceWaitlisted.event_type][1])
        assert waiting.position == 1
        assert waiting.resource_type == "guest_apartment"


async def test_two_overlapping_manual_bookings_at_once_give_201_and_409(
    serve, bearer, demo_app
) -> None:
    coordinator = bearer("coordinator", "kaiserslautern")
    async with serve(demo_app) as client:
        rooms = await client.get(
            "/v1/sites/kaiserslautern/resources?type=counselling_room", headers=coordinator
        )
        [room] = rooms.json()
        body = {"site": "kaiserslautern", "resource_id": room["resource_id"]}
        morning = {**body, "start": "2030-03-05T09:00:00+01:00", "end": "2030-03-05T11:00:00+01:00"}
        overlapping = {
            **body,
            "start": "2030-03-05T10:00:00+01:00",
            "end": "2030-03-05T12:00:00+01:00",
        }

        answers = await asyncio.gather(
            client.post("/v1/bookings", json=morning, headers=coordinator),
            client.post("/v1/bookings", json=overlapping, headers=coordinator),
        )
        assert sorted(answer.status_code for answer in answers) == [201, 409]
        [created] = [answer.json() for answer in answers if answer.status_code == 201]
        [conflict] = [answer for answer in answers if answer.status_code == 409]
        assert conflict.headers["content-type"].startswith("application/problem+json")
        assert created["resource_name"] == "Beratungsraum Sozialstation"

        # Back to back is not an overlap ([start, end) ranges); a cancelled booking frees it.
        after = {**body, "start": created["end"], "end": "2030-03-05T14:00:00+01:00"}
        back_to_back = await client.post("/v1/bookings", json=after, headers=coordinator)
        assert back_to_back.status_code == 201, back_to_back.text
        cancelled = await client.post(
            f"/v1/bookings/{created['booking_id']}/cancel", headers=coordinator
        )
        assert cancelled.status_code == 200, cancelled.text
        assert cancelled.json()["status"] == "cancelled"
        again = {**body, "start": created["start"], "end": created["end"]}
        rebooked = await client.post("/v1/bookings", json=again, headers=coordinator)
        assert rebooked.status_code == 201, rebooked.text
