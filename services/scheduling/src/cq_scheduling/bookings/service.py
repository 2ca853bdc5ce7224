"""Bookings made, cancelled and listed by people (coordinators, site admins) over HTTP."""

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.availability.announce import announce
from cq_scheduling.bookings import cancellation, places, repository
from cq_scheduling.bookings.events import confirmed
from cq_scheduling.bookings.models import Booking
from cq_scheduling.bookings.schemas import BookingPublic, NewBooking
from cq_scheduling.bookings.telling import tell
from cq_scheduling.bookings.waiting import Moves
from cq_scheduling.sites import repository as sites
from cq_shared.audit import AuditAction, Purpose, listed, record_access, record_accesses
from cq_shared.auth import Principal
from cq_shared.clock import Clock
from cq_shared.errors import ConflictError, FieldError, InvalidError, NotFoundError
from cq_shared.messaging.outbox import EventWriter
from cq_shared.service import ServiceContext
from cq_shared.sites import SiteCatalogue

# A manual booking starts at most this far ahead: intake takes needs up to a year ahead, and
# a stay planned further out is a typo in the year (2031 for 2030), not a plan.
BOOKING_HORIZON = timedelta(days=366)
# ... and at the earliest this long ago: a stay that began yesterday may be entered late.
LATE_ENTRY = timedelta(days=1)
# The audit trail's name for a booking (cq_shared.audit, decision 0013). A booking for a case
# is health data (who needs a care place, when); one without a case (a room, say) is not.
BOOKING = "booking"


class UnknownResourceError(InvalidError):
    """No such resource at the requested site."""

    def __init__(self) -> None:
        super().__init__(detail="There is no resource with this id at this site.")


class ResourceTakenError(ConflictError):
    """The resource is booked for an overlapping period."""


class BookingNotFoundError(NotFoundError):
    """No booking with this id."""


async def list_bookings(
    session: AsyncSession,
    who: Principal,
    *,
    site: str | None,
    case_id: uuid.UUID | None,
    limit: int,
    now: datetime,
) -> list[BookingPublic]:
    """Bookings, earliest first, of the sites the caller may see (or of one of them); the
    cases listed are audited."""
    if site is not None:
        who.require_site(site)
    sites = None if who.has_all_sites else who.sites
    found = await repository.rows(session, sites=sites, site=site, case_id=case_id, limit=limit)
    bookings = [BookingPublic.from_row(row) for row in found]
    shown = ((booking.site, booking.case_id) for booking in bookings)
    await record_accesses(
        session,
        who,
        action=AuditAction.LIST,
        resource=BOOKING,
        accesses=listed(shown, who=who, site=site),
        purpose=Purpose.CARE_PLANNING,
        at=now,
    )
    return bookings


def _period_problems(request: NewBooking, clock: Clock) -> Sequence[FieldError]:
    now = clock.now()
    if request.start < now - LATE_ENTRY:
        message = "Start is more than a day in the past."
        return [FieldError.in_body("start", msg=message, type="date_in_past")]
    if request.start > now + BOOKING_HORIZON:
        message = "Start is more than a year ahead."
        return [FieldError.in_body("start", msg=message, type="date_too_far")]
    return []


async def book_manually(
    session: AsyncSession,
    writer: EventWriter,
    clock: Clock,
    request: NewBooking,
    *,
    who: Principal,
    sites_catalogue: SiteCatalogue,
) -> BookingPublic:
    """Book a resource; ResourceTakenError if it overlaps a confirmed booking. A booking for
    a case's need is announced like an automatic one, so the case shows it."""
    problems = _period_problems(request, clock)
    if problems:
        raise InvalidError(problems)
    resource = await sites.resource(session, request.resource_id)
    if resource is None or resource.site != request.site:
        raise UnknownResourceError
    # The pools before the resource's lock (the lock order of bookings/waiting.py), as a
    # cancellation promoting into this resource takes them: otherwise the two deadlock.
    period = (request.start, request.end)
    site = sites_catalogue[request.site]
    await places.lock_pools(session, site, request.site, resource.type, period, now=clock.now())
    booking = Booking(
        site=request.site,
        case_id=request.case_id,
        need_id=request.need_id,
        resource_type=resource.type,
        resource_id=resource.id,
        starts_at=request.start,
        ends_at=request.end,
        created_at=clock.now(),
    )
    try:
        await repository.insert(session, booking)
    except repository.AlreadyBookedError:
        raise ResourceTakenError(
            "The resource is already booked for an overlapping period."
        ) from None
    if booking.case_id is not None:
        await _audit(session, who, AuditAction.CREATE, booking, at=booking.created_at)
    if booking.case_id is not None and booking.need_id is not None:
        event = confirmed(booking, resource.name)
        await writer.add(session, event, subject=str(booking.case_id), site=booking.site)
    await announce(session, writer, sites_catalogue, [booking.place_change()])
    return BookingPublic.of(booking, resource.name, None)


async def cancel(
    session: AsyncSession,
    context: ServiceContext,
    who: Principal,
    booking_id: uuid.UUID,
) -> BookingPublic:
    """Cancel (idempotently) and free the resource or slot: the constraints only count
    confirmed (and held) bookings, so the period or slot can be booked again at once. The
    case hears of it (`BookingCancelled`), and the first person waiting for the place gets
    it by the pool's policy (decision 0018)."""
    now = context.clock.now()
    moves = Moves()
    booking = await cancellation.cancel(
        session,
        context.sites,
        booking_id,
        reason=cancellation.CANCELLED,
        by=cancellation.role_of(who),
        now=now,
        moves=moves,
        check_site=who.require_site,
    )
    if booking is None:
        raise BookingNotFoundError("There is no booking with this id.")
    await tell(session, context, moves, now=now)
    if booking.case_id is not None:
        await _audit(session, who, AuditAction.UPDATE, booking, at=now)
    (row,) = await repository.rows(session, sites=None, booking_id=booking.id)
    return BookingPublic.from_row(row)


async def _audit(
    session: AsyncSession, who: Principal, action: AuditAction, booking: Booking, *, at: datetime
) -> None:
    assert booking.case_id is not None
    await record_access(
        session,
        who,
        action=action,
        resource=BOOKING,
        site=booking.site,
        case_ids=[booking.case_id],
        purpose=Purpose.CARE_PLANNING,
        at=at,
    )
