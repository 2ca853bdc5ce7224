"""Cancelling a booking, whoever asks (a person, a series cancelled from a date on): the
place is freed, the case is told (`BookingCancelled`), and the first person waiting for the
place gets it by the pool's policy, all in the caller's transaction."""

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.bookings import place_events, places, repository, waiting
from cq_scheduling.bookings.hold_timer import hold_timer_key
from cq_scheduling.bookings.models import TAKING, Booking, BookingStatus
from cq_scheduling.bookings.series_change import SeriesChange
from cq_scheduling.bookings.waiting import Moves
from cq_scheduling.sites import repository as sites
from cq_scheduling.waitlist import queue
from cq_scheduling.waitlist import repository as waitlist
from cq_scheduling.waitlist.models import EntryStatus
from cq_shared.auth import Principal, Role
from cq_shared.contracts.scheduling import BookingCancelled
from cq_shared.messaging.outbox import Staged
from cq_shared.sites import SiteCatalogue
from cq_shared.timers import cancel_timer

# Why a booking was cancelled (BookingCancelled.reason).
CANCELLED = "cancelled"
SERIES_CANCELLED = "series_cancelled"
# The role a cancellation is told as: the strongest the caller has, never their name.
_ROLES = (Role.PLATFORM_ADMIN, Role.SITE_ADMIN, Role.COORDINATOR, Role.SERVICE)


def role_of(who: Principal) -> str:
    return next((str(role) for role in _ROLES if who.has_role(role)), "staff")


async def cancel(
    session: AsyncSession,
    catalogue: SiteCatalogue,
    booking_id: uuid.UUID,
    *,
    reason: str,
    by: str,
    now: datetime,
    moves: Moves,
    check_site: Callable[[str], None] = lambda site: None,
) -> Booking | None:
    """Cancel (idempotently); None if there is no such booking. `check_site` runs before
    anything is locked or changed (403)."""
    seen = await repository.get(session, booking_id)
    if seen is None:
        return None
    check_site(seen.site)
    pools = []
    if seen.resource_id is not None:
        # Before the booking's row: the lock order of the waiting list (bookings/waiting.py).
        site = catalogue[seen.site]
        start, end = seen.starts_at, seen.ends_at
        pools = await places.lock_pools(
            session, site, seen.site, seen.resource_type, (start, end), now=now
        )
    booking = await repository.get_for_update(session, booking_id)
    assert booking is not None, "bookings are never deleted"
    if booking.status not in TAKING:
        return booking
    was_held = booking.status == BookingStatus.HELD
    booking.status = BookingStatus.CANCELLED
    booking.hold_expires_at = None
    session.add(booking)
    await session.flush()  # freed before anybody waiting is booked into it
    if booking.slot_id is not None:
        await sites.release_slot(session, booking.slot_id)
    if was_held:
        await cancel_timer(session, hold_timer_key(booking.id))
    await _end_offer(session, booking, now=now, moves=moves)
    if booking.case_id is not None:
        moves.events.append(_told(booking, reason, by))
    # A day of a recurring need: the case hears the series' new state too (counts, dates).
    moves.changed(booking.need_id, SeriesChange.CANCELLED)
    await waiting.free_and_promote(session, pools, booking, now=now, moves=moves)
    return booking


async def _end_offer(
    session: AsyncSession, booking: Booking, *, now: datetime, moves: Moves
) -> None:
    """A cancelled booking that held an open offer ends the offer too (cancelled)."""
    entry = await waitlist.of_booking(session, booking.id)
    if entry is None or entry.status != EntryStatus.OFFERED:
        return
    await cancel_timer(session, queue.offer_timer_key(entry.id))
    ended = await waitlist.set_status(session, entry.id, EntryStatus.CANCELLED, now=now)
    moves.events.append(place_events.staged(place_events.ended(ended, booking.resource_type)))
    moves.moved(ended, SeriesChange.CANCELLED)


def _told(booking: Booking, reason: str, by: str) -> Staged:
    assert booking.case_id is not None
    event = BookingCancelled(
        case_id=booking.case_id,
        site=booking.site,
        booking_id=booking.id,
        need_id=booking.need_id,
        resource_type=booking.resource_type,
        start=booking.starts_at,
        end=booking.ends_at,
        reason=reason,
        cancelled_by=by,
    )
    return Staged(event, str(booking.case_id), booking.site)
