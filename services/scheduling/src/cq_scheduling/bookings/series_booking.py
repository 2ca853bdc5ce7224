"""A recurring day-care need (a day guest every Tuesday and Thursday): a place on every
day within the daily capacity, each day without one waiting on its own, all in the need's
transaction, told as one `BookingSeriesChanged` (every day's outcome in it)."""

from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.bookings import periods, places, series
from cq_scheduling.bookings.models import BookingSeries
from cq_scheduling.bookings.need import CaseNeed
from cq_scheduling.bookings.place_booking import wait_if_full
from cq_scheduling.bookings.resource_booking import book_any
from cq_scheduling.bookings.series_change import SeriesChange
from cq_scheduling.sites.models import ResourceType
from cq_shared.contracts.scheduling import BookingSeriesChanged


async def book_series(
    session: AsyncSession, need: CaseNeed, days: list[date]
) -> BookingSeriesChanged:
    kind = ResourceType.DAY_CARE_PLACE
    row = BookingSeries(
        need_id=need.need.need_id,
        case_id=need.case.case_id,
        site=need.site,
        resource_type=kind,
        days=days,
        created_at=need.now,
    )
    session.add(row)
    await session.flush()
    day_periods = {day: periods.day_care(need.place, day) for day in days}
    # Every day's pool before any booking: the waiting list's lock order (bookings/waiting.py).
    pools = await places.lock_all(
        session, need.place, need.site, kind, list(day_periods.values()), now=need.now
    )
    for start, end in day_periods.values():
        outcome = await book_any(session, need, kind, start, end)
        ids = places.pool_ids(need.place, need.site, kind, start, end)
        mine = [pools[pool_id] for pool_id in ids if pool_id in pools]
        await wait_if_full(
            session, need, outcome=outcome, pools=mine, resource_type=kind, period=(start, end)
        )
    return await series.state(
        session, row, change=SeriesChange.BOOKED, site=need.place, now=need.now
    )
