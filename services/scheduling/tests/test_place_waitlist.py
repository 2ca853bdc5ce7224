"""The waiting list for places: a cancelled booking is told to its case and goes to the first
person waiting for that day (Zwenkau: at once) or is offered for a day (Kaiserslautern's guest
apartment), declined offers move on, accepted ones become bookings."""

from datetime import date

from cq_shared.contracts import NeedType
from cq_shared.contracts.scheduling import (
    BookingCancelled,
    BookingConfirmed,
    PlaceOffered,
    PlacePromoted,
    PlaceWaitEnded,
    PlaceWaitlisted,
)
from cq_shared.service import ServiceContext
from cq_testing import outbox_of

from .places_support import PLACES, ZW, fill, handle
from .support import KL, bookings_of, case_opened, need

DAY = date(2030, 3, 6)


async def test_a_cancelled_booking_goes_to_the_first_waiting(serve, demo_app, bearer) -> None:
    coordinator = bearer("coordinator", ZW)
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        booked = await fill(context, DAY)
        first, second = (case_opened(ZW, need(NeedType.DAY_CARE, DAY)) for _ in range(2))
        await handle(context, first)
        await handle(context, second)
        [cancelled] = await bookings_of(context.database, booked[3].case_id)
        answer = await client.post(f"/v1/bookings/{cancelled.id}/cancel", headers=coordinator)
        assert answer.status_code == 200, answer.text

        told = await outbox_of(context.database, booked[3].case_id)
        assert [kind for kind, _ in told] == [
            BookingConfirmed.event_type,
            BookingCancelled.event_type,
        ]
        event = BookingCancelled.model_validate(told[1][1])
        assert (event.booking_id, event.reason, event.cancelled_by) == (
            cancelled.id,
            "cancelled",
            "coordinator",
        )
        assert event.need_id == booked[3].needs[0].need_id
        [(kind, _), (promoted, data)] = await outbox_of(context.database, first.case_id)
        assert (kind, promoted) == (PlaceWaitlisted.event_type, PlacePromoted.event_type)
        [booking] = await bookings_of(context.database, first.case_id)
        assert (booking.status, str(booking.id)) == ("confirmed", data["booking_id"])
        [(kind, data)] = await outbox_of(context.database, second.case_id)
        assert (kind, data["position"]) == (PlaceWaitlisted.event_type, 2)
        query = f"type=day_care_place&from={DAY}&to={DAY}"
        figures = await client.get(f"/v1/sites/{ZW}/availability?{query}", headers=coordinator)
        assert figures.json()["items"][0]["booked"] == PLACES

        again = await client.post(f"/v1/bookings/{cancelled.id}/cancel", headers=coordinator)
        assert again.status_code == 200
        assert len(await outbox_of(context.database, booked[3].case_id)) == 2  # told once


async def test_the_guest_apartment_is_offered_in_turn(serve, demo_app, bearer) -> None:
    coordinator = bearer("coordinator", KL)
    stay = need(NeedType.SHORT_TERM_CARE, date(2030, 3, 10), 7)
    holder = case_opened(KL, stay)
    first = case_opened(KL, need(NeedType.SHORT_TERM_CARE, date(2030, 3, 12), 3))
    second = case_opened(KL, need(NeedType.SHORT_TERM_CARE, date(2030, 3, 11), 2))
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        for case in (holder, first, second):
            await handle(context, case)
        [booking] = await bookings_of(context.database, holder.case_id)
        answer = await client.post(f"/v1/bookings/{booking.id}/cancel", headers=coordinator)
        assert answer.status_code == 200, answer.text
        [_, (kind, offer)] = await outbox_of(context.database, first.case_id)
        assert kind == PlaceOffered.event_type
        assert offer["expires_at"].startswith("2030-03-05T07:00")  # a day (hold_hours = 24)
        # The apartment is held for the first: nobody else can have it meanwhile.
        [(kind, _)] = await outbox_of(context.database, second.case_id)
        assert kind == PlaceWaitlisted.event_type

        declined = await client.post(
            f"/v1/waitlist/{offer['entry_id']}/decline", headers=coordinator
        )
        assert declined.status_code == 200, declined.text
        assert declined.json()["status"] == "declined"
        [*_, (kind, _)] = await outbox_of(context.database, first.case_id)
        assert kind == PlaceWaitEnded.event_type
        [_, (kind, offer)] = await outbox_of(context.database, second.case_id)
        assert kind == PlaceOffered.event_type
        accepted = await client.post(
            f"/v1/waitlist/{offer['entry_id']}/accept", headers=coordinator
        )
        assert accepted.status_code == 200, accepted.text
        assert accepted.json()["status"] == "booked"
        [*_, (kind, _)] = await outbox_of(context.database, second.case_id)
        assert kind == PlacePromoted.event_type
        [taken] = [b for b in await bookings_of(context.database, second.case_id)]
        assert (taken.status, taken.hold_expires_at) == ("confirmed", None)
        twice = await client.post(f"/v1/waitlist/{offer['entry_id']}/accept", headers=coordinator)
        assert twice.status_code == 409
        assert twice.headers["content-type"] == "application/problem+json"
        unknown = await client.post(f"/v1/waitlist/{booking.id}/accept", headers=coordinator)
        assert unknown.status_code == 404
        elsewhere = bearer("coordinator", ZW)
        path = f"/v1/waitlist/{offer['entry_id']}/decline"
        assert (await client.post(path, headers=elsewhere)).status_code == 403


async def test_an_apartment_is_offered_for_two_periods_at_once(serve, demo_app, bearer) -> None:
    """One apartment, offered for March while April is freed: April is offered to the one
    waiting for it at once, not left free for a newcomer to book past them."""
    coordinator = bearer("coordinator", KL)
    march, april = date(2030, 3, 10), date(2030, 4, 10)
    holders = [case_opened(KL, need(NeedType.SHORT_TERM_CARE, day, 7)) for day in (march, april)]
    waiting = [case_opened(KL, need(NeedType.SHORT_TERM_CARE, day, 7)) for day in (march, april)]
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        for case in (*holders, *waiting):
            await handle(context, case)
        for holder in holders:
            [booking] = await bookings_of(context.database, holder.case_id)
            answer = await client.post(f"/v1/bookings/{booking.id}/cancel", headers=coordinator)
            assert answer.status_code == 200, answer.text
        for case in waiting:
            [_, (kind, _)] = await outbox_of(context.database, case.case_id)
            assert kind == PlaceOffered.event_type
            [held] = await bookings_of(context.database, case.case_id)
            assert held.status == "held"
        newcomer = case_opened(KL, need(NeedType.SHORT_TERM_CARE, april, 7))
        await handle(context, newcomer)
        assert await bookings_of(context.database, newcomer.case_id) == []
        [(kind, _)] = await outbox_of(context.database, newcomer.case_id)
        assert kind == PlaceWaitlisted.event_type
