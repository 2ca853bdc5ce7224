"""Book a place for a need, or, when none is free and the site waitlists the type, put the
need on the waiting list of its pool (decision 0018)."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.bookings import places, waiting
from cq_scheduling.bookings.events import Reason
from cq_scheduling.bookings.need import CaseNeed, Outcome
from cq_scheduling.bookings.resource_booking import book_any
from cq_scheduling.waitlist.repository import LockedPool
from cq_shared.contracts.scheduling import BookingUnavailable


async def book_or_wait(
    session: AsyncSession, need: CaseNeed, resource_type: str, start: datetime, end: datetime
) -> Outcome:
    pools = await places.lock_pools(
        session, need.place, need.site, resource_type, (start, end), now=need.now
    )
    outcome = await book_any(session, need, resource_type, start, end)
    return await wait_if_full(
        session,
        need,
        outcome=outcome,
        pools=pools,
        resource_type=resource_type,
        period=(start, end),
    )


async def wait_if_full(
    session: AsyncSession,
    need: CaseNeed,
    *,
    outcome: Outcome,
    pools: list[LockedPool],
    resource_type: str,
    period: tuple[datetime, datetime],
) -> Outcome:
    """The refusal `outcome` becomes a place on the waiting list when it was for lack of
    capacity and the period has a pool (one: a day, or the guest apartment's)."""
    full = isinstance(outcome, BookingUnavailable) and outcome.reason == Reason.NO_CAPACITY
    if not full or not pools:
        return outcome
    return await waiting.wait(
        session,
        pools[0],
        case_id=need.case.case_id,
        need_id=need.need.need_id,
        resource_type=resource_type,
        period=period,
        now=need.now,
        urgency=need.case.urgency,
    )
