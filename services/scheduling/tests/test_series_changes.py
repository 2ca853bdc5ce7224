"""Every change of a series reaches its case as the series' new state, with its own word:
a day cancelled by hand (not through the series) is told as the series `cancelled`, and a
series whose waiting day got the place another series gave up is told `promoted`."""

import asyncio
from datetime import date, timedelta

from cq_scheduling.bookings import cancellation
from cq_scheduling.bookings.telling import tell
from cq_scheduling.bookings.waiting import Moves
from cq_shared.clock import FixedClock
from cq_shared.contracts import NeedType
from cq_shared.contracts.common import Weekday
from cq_shared.contracts.intake import CaseOpened
from cq_shared.contracts.scheduling import (
    BookingCancelled,
    BookingSeriesChanged,
    PlacePromoted,
    PlaceWaitlisted,
)
from cq_shared.service import ServiceContext
from cq_testing import outbox_of

from .places_support import ZW, fill, handle, series_need
from .support import NOW, bookings_of, case_opened, need

TUE, THU = date(2030, 3, 5), date(2030, 3, 7)


async def _told(context: ServiceContext, case: CaseOpened) -> list[tuple[str, dict[str, object]]]:
    return [(kind, data) for kind, data in await outbox_of(context.database, case.case_id)]


def _series(data: dict[str, object]) -> BookingSeriesChanged:
    return BookingSeriesChanged.model_validate(data)


async def test_a_day_of_a_series_cancelled_by_hand_tells_the_series_again(
    serve, demo_app, bearer
) -> None:
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        guest = case_opened(ZW, series_need(TUE, THU, Weekday.TUE, Weekday.THU))
        await handle(context, guest)
        tuesday = next(
            b
            for b in await bookings_of(context.database, guest.case_id)
            if context.sites[ZW].today(b.starts_at) == TUE
        )
        coordinator = bearer("coordinator", ZW)
        answer = await client.post(f"/v1/bookings/{tuesday.id}/cancel", headers=coordinator)
        assert answer.status_code == 200, answer.text

        told = await _told(context, guest)
        assert [kind for kind, _ in told] == [
            BookingSeriesChanged.event_type,
            BookingCancelled.event_type,
            BookingSeriesChanged.event_type,
        ]
        now = _series(told[2][1])
        assert (now.change, now.total, now.booked, now.next_date) == ("cancelled", 1, 1, THU)
        assert {o.date: o.status for o in now.occurrences} == {TUE: "cancelled", THU: "booked"}

        again = await client.post(f"/v1/bookings/{tuesday.id}/cancel", headers=coordinator)
        assert again.status_code == 200
        assert len(await _told(context, guest)) == 3  # nothing changed, nothing told


async def test_each_series_touched_by_a_cancellation_is_told_its_own_change(
    serve, demo_app, bearer
) -> None:
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        await fill(context, TUE, 11)
        leaving = case_opened(ZW, series_need(TUE, THU, Weekday.TUE, Weekday.THU))
        waiting = case_opened(ZW, series_need(TUE, THU, Weekday.TUE, Weekday.THU))
        await handle(context, leaving)  # the last place of Tuesday
        await handle(context, waiting)  # waits for Tuesday
        [(_, first)] = await _told(context, waiting)
        assert _series(first).waitlisted_dates == [TUE]

        url = f"/v1/series/{leaving.needs[0].need_id}/cancel"
        answer = await client.post(url, json={}, headers=bearer("coordinator", ZW))
        assert answer.status_code == 200, answer.text

        gone = _series((await _told(context, leaving))[-1][1])
        assert (gone.change, gone.total) == ("cancelled", 0)
        told = await _told(context, waiting)
        assert [kind for kind, _ in told[1:]] == [
            PlacePromoted.event_type,  # Tuesday's place, the day's own event
            BookingSeriesChanged.event_type,
        ]
        promoted = _series(told[2][1])
        assert (promoted.change, promoted.booked, promoted.waitlisted_dates) == ("promoted", 2, [])


async def test_concurrent_changes_of_a_series_each_tell_the_other(serve, demo_app, bearer) -> None:
    """While a cancellation promotes the series' Tuesday (not yet committed), its Thursday is
    cancelled by hand: the second transaction stages the case's events first, so it waits
    for the first's lock of the case's key (the outbox) before it reads the series' state,
    and tells Tuesday booked instead of a state without the other transaction's move."""
    coordinator = bearer("coordinator", ZW)
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        booked = await fill(context, TUE)
        guest = case_opened(ZW, series_need(TUE, THU, Weekday.TUE, Weekday.THU))
        await handle(context, guest)  # waits for Tuesday, booked on Thursday
        [thursday] = await bookings_of(context.database, guest.case_id)
        [freed] = await bookings_of(context.database, booked[0].case_id)
        now = context.clock.now()
        async with context.database.unit_of_work() as session:
            moves = Moves()
            await cancellation.cancel(
                session,
                context.sites,
                freed.id,
                reason=cancellation.CANCELLED,
                by="coordinator",
                now=now,
                moves=moves,
            )
            await tell(session, context, moves, now=now)
            by_hand = asyncio.ensure_future(
                client.post(f"/v1/bookings/{thursday.id}/cancel", headers=coordinator)
            )
            await asyncio.sleep(0.5)
            assert not by_hand.done()  # waiting for the case's key
        assert (await by_hand).status_code == 200
        states = [_series(d) for k, d in await _told(context, guest) if k == _SERIES]
        last = next(s for s in reversed(states) if s.change == "cancelled")
        assert {o.date: o.status for o in last.occurrences} == {TUE: "booked", THU: "cancelled"}
        assert (last.booked, last.waitlisted_dates) == (1, [])


_SERIES = BookingSeriesChanged.event_type


async def test_days_gone_by_are_neither_cancelled_nor_given_away(serve, demo_app, bearer) -> None:
    """Cancelled without `from` on Wednesday, a Tuesday-and-Thursday series keeps its Tuesday
    (it happened); a booking of Tuesday cancelled then goes to nobody waiting for it."""
    coordinator = bearer("coordinator", ZW)
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        booked = await fill(context, TUE, 11)
        guest = case_opened(ZW, series_need(TUE, THU, Weekday.TUE, Weekday.THU))
        await handle(context, guest)  # the last place of Tuesday
        late = case_opened(ZW, need(NeedType.DAY_CARE, TUE))
        await handle(context, late)  # waits for Tuesday
        clock = context.clock
        assert isinstance(clock, FixedClock)
        clock.set(NOW + timedelta(days=2))  # Wednesday

        url = f"/v1/series/{guest.needs[0].need_id}/cancel"
        answer = await client.post(url, json={}, headers=coordinator)
        assert answer.status_code == 200, answer.text
        state = _series(answer.json())
        assert {o.date: o.status for o in state.occurrences} == {TUE: "booked", THU: "cancelled"}

        [gone] = await bookings_of(context.database, booked[0].case_id)
        cancelled = await client.post(f"/v1/bookings/{gone.id}/cancel", headers=coordinator)
        assert cancelled.status_code == 200, cancelled.text
        assert await bookings_of(context.database, late.case_id) == []
        [(kind, _)] = await _told(context, late)
        assert kind == PlaceWaitlisted.event_type
