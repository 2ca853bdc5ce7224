"""Holds: a place kept for minutes while the front desk is on the phone. A hold is a booking
row with status `held`, so the bookings' exclusion constraint keeps it from being booked
twice and the availability counts it as taken. It becomes a booking (confirm), is given back
(release), or ends at `expires_at` by a durable timer (exactly once, decision 0009)."""

import uuid
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.availability.announce import announce
from cq_scheduling.availability.days import day_window
from cq_scheduling.bookings import places, repository, waiting
from cq_scheduling.bookings.events import confirmed
from cq_scheduling.bookings.hold_schemas import ConfirmHold, HoldPublic, NewHold
from cq_scheduling.bookings.hold_timer import HOLD_EXPIRY, hold_timer_key
from cq_scheduling.bookings.models import Booking, BookingStatus
from cq_scheduling.bookings.resource_booking import claim_any
from cq_scheduling.bookings.schemas import BookingPublic
from cq_scheduling.bookings.service import BOOKING, BOOKING_HORIZON, LATE_ENTRY
from cq_scheduling.bookings.telling import tell
from cq_scheduling.bookings.waiting import Moves
from cq_scheduling.sites import repository as sites
from cq_scheduling.sites.service import check_site
from cq_scheduling.waitlist import repository as waitlist
from cq_shared.audit import AuditAction, Purpose, record_access
from cq_shared.auth import Principal
from cq_shared.errors import ConflictError, FieldError, InvalidError, NotFoundError
from cq_shared.service import ServiceContext
from cq_shared.timers import cancel_timer, schedule_timer

# Slack either side of the rough range check on a `date` (the site's offset from UTC).
ROUGHLY = timedelta(days=2)


class HoldNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__("There is no hold with this id.")


class NoPlaceFreeError(ConflictError):
    def __init__(self) -> None:
        super().__init__("No place of this type is free for the period.")


class HoldNotOpenError(ConflictError):
    def __init__(self) -> None:
        super().__init__("This hold is no longer held: it was confirmed, released, or it expired.")


async def create_hold(
    session: AsyncSession, context: ServiceContext, who: Principal, body: NewHold
) -> HoldPublic:
    check_site(who, context.sites, body.site)
    site = context.sites[body.site]
    now = context.clock.now()
    where = "date" if body.date is not None else "start"
    message = "The period starts more than a day ago or more than a year ahead."
    out_of_range = InvalidError([FieldError.in_body(where, msg=message, type="date_out_of_range")])
    if body.date is not None:
        # The day roughly in range before its window is computed: 9999-12-31's window ends
        # past the calendar (a 500). The exact check on the window follows.
        today = site.today(now)
        if not today - ROUGHLY <= body.date <= today + BOOKING_HORIZON + ROUGHLY:
            raise out_of_range
        start, end = day_window(site, body.resource_type, body.date)
    else:
        assert body.start is not None, "the schema says so"
        assert body.end is not None, "the schema says so"
        start, end = body.start, body.end
    if not now - LATE_ENTRY <= start <= now + BOOKING_HORIZON:
        raise out_of_range
    if not await sites.resources(session, body.site, body.resource_type):
        message = "The site has no place of this type."
        raise InvalidError([FieldError.in_body("resource_type", msg=message, type="no_resource")])
    expires = now + timedelta(minutes=body.ttl_minutes)

    def held(resource_id: uuid.UUID) -> Booking:
        return Booking(
            site=body.site,
            resource_type=body.resource_type,
            resource_id=resource_id,
            starts_at=start,
            ends_at=end,
            status=BookingStatus.HELD,
            hold_expires_at=expires,
            created_at=now,
        )

    # The pools first, as a cancellation takes them before the resources' locks (the lock
    # order of bookings/waiting.py): a hold taken while a promotion runs cannot deadlock it.
    await places.lock_pools(session, site, body.site, body.resource_type, (start, end), now=now)
    claimed = await claim_any(session, body.site, body.resource_type, lambda r: held(r.id))
    if claimed is None:
        raise NoPlaceFreeError
    booking, resource = claimed
    await schedule_timer(
        session,
        key=hold_timer_key(booking.id),
        kind=HOLD_EXPIRY,
        at=expires,
        payload={"booking_id": str(booking.id)},
        site=booking.site,
    )
    await announce(session, context.writer, context.sites, [booking.place_change()])
    return _public(booking, resource.name)


async def confirm_hold(
    session: AsyncSession,
    context: ServiceContext,
    who: Principal,
    hold_id: uuid.UUID,
    body: ConfirmHold,
) -> BookingPublic:
    """The held place becomes the case's confirmed booking (announced to the case when it
    is for one of its needs). 409 once the hold has ended, even before its timer fired."""
    now = context.clock.now()
    await _visible(session, who, hold_id)
    booking = await repository.get_for_update(session, hold_id)
    assert booking is not None, "seen above; bookings are never deleted"
    expires = booking.hold_expires_at
    if booking.status != BookingStatus.HELD or expires is None or expires <= now:
        raise HoldNotOpenError
    booking.status = BookingStatus.CONFIRMED
    booking.hold_expires_at = None
    booking.case_id = body.case_id
    booking.need_id = body.need_id
    session.add(booking)
    await session.flush()
    await cancel_timer(session, hold_timer_key(booking.id))
    await record_access(
        session,
        who,
        action=AuditAction.CREATE,
        resource=BOOKING,
        site=booking.site,
        case_ids=[body.case_id],
        purpose=Purpose.CARE_PLANNING,
        at=now,
    )
    name = await _name(session, booking)
    if body.need_id is not None:
        event = confirmed(booking, name)
        await context.writer.add(session, event, subject=str(body.case_id), site=booking.site)
    await announce(session, context.writer, context.sites, [booking.place_change()])
    return BookingPublic.of(booking, name, None)


async def release_hold(
    session: AsyncSession, context: ServiceContext, who: Principal, hold_id: uuid.UUID
) -> HoldPublic:
    """Give the place back (idempotently); whoever waits for it gets it. 409 for a hold
    that became a booking (cancel the booking instead)."""
    now = context.clock.now()
    await _visible(session, who, hold_id)
    moves = Moves()
    booking = await _end(session, context, hold_id, BookingStatus.RELEASED, now=now, moves=moves)
    if booking.status == BookingStatus.CONFIRMED:
        raise HoldNotOpenError
    await tell(session, context, moves, now=now)
    return _public(booking, await _name(session, booking))


async def expire_hold(session: AsyncSession, context: ServiceContext, hold_id: uuid.UUID) -> None:
    """The hold's timer fired: a hold still held and due expires; anything else (confirmed
    or released meanwhile, a late or repeated firing) is left alone."""
    now = context.clock.now()
    moves = Moves()
    await _end(session, context, hold_id, BookingStatus.EXPIRED, now=now, moves=moves)
    await tell(session, context, moves, now=now)


async def _end(
    session: AsyncSession,
    context: ServiceContext,
    hold_id: uuid.UUID,
    to: BookingStatus,
    *,
    now: datetime,
    moves: Moves,
) -> Booking:
    seen = await repository.get(session, hold_id)
    if seen is None:
        raise HoldNotFoundError
    site = context.sites[seen.site]
    pools = await places.lock_pools(
        session, site, seen.site, seen.resource_type, (seen.starts_at, seen.ends_at), now=now
    )
    booking = await repository.get_for_update(session, hold_id)
    assert booking is not None, "bookings are never deleted"
    expires = booking.hold_expires_at
    if booking.status != BookingStatus.HELD or expires is None:
        return booking
    if to == BookingStatus.EXPIRED and expires > now:
        return booking
    booking.status = to
    booking.hold_expires_at = None
    session.add(booking)
    await session.flush()  # freed before anybody waiting is booked into it
    await cancel_timer(session, hold_timer_key(booking.id))
    await waiting.free_and_promote(session, pools, booking, now=now, moves=moves)
    return booking


async def _visible(session: AsyncSession, who: Principal, hold_id: uuid.UUID) -> None:
    """404 for no hold (no such booking, a counselling slot, or a waiting list's offer, which is
    answered by accept or decline); 403 for another site's. Before anything is locked."""
    seen = await repository.get(session, hold_id)
    if seen is None or seen.resource_id is None:
        raise HoldNotFoundError
    who.require_site(seen.site)
    if await waitlist.of_booking(session, hold_id) is not None:
        raise HoldNotFoundError


async def _name(session: AsyncSession, booking: Booking) -> str:
    resource = await sites.resource(session, booking.resource_id) if booking.resource_id else None
    return resource.name if resource is not None else booking.resource_type


def _public(booking: Booking, resource_name: str) -> HoldPublic:
    return HoldPublic(
        hold_id=booking.id,
        site=booking.site,
        resource_type=booking.resource_type,
        resource_id=booking.resource_id,
        resource_name=resource_name,
        start=booking.starts_at,
        end=booking.ends_at,
        status=booking.status,
        expires_at=booking.hold_expires_at,
    )
