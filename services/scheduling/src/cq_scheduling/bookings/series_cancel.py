"""Cancelling a recurring need whole, or from a date on: exactly those days are freed (their
bookings cancelled, their waiting entries ended), whoever waits for them gets them, the case
hears of each cancelled booking and of the series' new state."""

import uuid
from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.bookings import cancellation, places, repository, series, waiting
from cq_scheduling.bookings.models import BookingSeries
from cq_scheduling.bookings.series_change import SeriesChange
from cq_scheduling.bookings.service import BOOKING
from cq_scheduling.bookings.telling import tell
from cq_scheduling.bookings.waiting import Moves
from cq_scheduling.waitlist import repository as waitlist
from cq_scheduling.waitlist.models import EntryStatus
from cq_shared.audit import AuditAction, Purpose, record_access
from cq_shared.auth import Principal
from cq_shared.contracts.scheduling import BookingSeriesChanged
from cq_shared.errors import NotFoundError
from cq_shared.service import ServiceContext


class SeriesNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__("There is no recurring need with this id.")


async def series_state(
    session: AsyncSession, context: ServiceContext, who: Principal, need_id: uuid.UUID
) -> BookingSeriesChanged:
    row = await _series(session, who, need_id)
    now = context.clock.now()
    await _audit(session, who, row, AuditAction.READ, context)
    return await series.state(session, row, change="read", site=context.sites[row.site], now=now)


async def cancel_series(
    session: AsyncSession,
    context: ServiceContext,
    who: Principal,
    need_id: uuid.UUID,
    start_from: date | None,
) -> BookingSeriesChanged:
    """Cancel the series' days from `start_from` on (from the site's today without it: a
    day gone by is not given back, nor offered to anybody); cancelling the same days again
    changes nothing."""
    row = await _series(session, who, need_id)
    now = context.clock.now()
    site = context.sites[row.site]
    first = start_from or site.today(now)
    days = [day for day in row.days if day >= first]
    kind = row.resource_type
    # Every freed day's pool first, in the one lock order (bookings/waiting.py).
    windows = [site.whole_day(day) for day in days]
    await places.lock_all(session, site, row.site, kind, windows, now=now)
    locked = await session.get(BookingSeries, need_id, with_for_update=True, populate_existing=True)
    assert locked is not None, "seen above; series are never deleted"
    if locked.cancelled_from is None or first < locked.cancelled_from:
        locked.cancelled_from = first
        session.add(locked)
        await session.flush()
    moves = Moves()
    by = cancellation.role_of(who)
    for booking in await repository.taking_of_need(session, need_id):
        if site.today(booking.starts_at) >= first:
            await cancellation.cancel(
                session,
                context.sites,
                booking.id,
                reason=cancellation.SERIES_CANCELLED,
                by=by,
                now=now,
                moves=moves,
            )
    for entry in await waitlist.live_of_need(session, need_id):
        if entry.starts_at is not None and site.today(entry.starts_at) >= first:
            left = await waiting.leave(session, entry.id, EntryStatus.CANCELLED, now=now)
            if left is not None:
                moves.absorb(left)
    moves.changed(need_id, SeriesChange.CANCELLED)
    await _audit(session, who, locked, AuditAction.UPDATE, context)
    await tell(session, context, moves, now=now)
    return await series.state(session, locked, change=SeriesChange.CANCELLED, site=site, now=now)


async def _series(session: AsyncSession, who: Principal, need_id: uuid.UUID) -> BookingSeries:
    row = await session.get(BookingSeries, need_id)
    if row is None:
        raise SeriesNotFoundError
    who.require_site(row.site)
    return row


async def _audit(
    session: AsyncSession,
    who: Principal,
    row: BookingSeries,
    action: AuditAction,
    context: ServiceContext,
) -> None:
    await record_access(
        session,
        who,
        action=action,
        resource=BOOKING,
        site=row.site,
        case_ids=[row.case_id],
        purpose=Purpose.CARE_PLANNING,
        at=context.clock.now(),
    )
