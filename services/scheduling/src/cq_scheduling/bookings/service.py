"""Bookings made and cancelled by people (coordinators, site admins) over HTTP."""

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.bookings import repository
from cq_scheduling.bookings.events import confirmed
from cq_scheduling.bookings.models import Booking, BookingStatus
from cq_scheduling.bookings.schemas import BookingPublic, NewBooking
from cq_scheduling.sites import repository as sites
from cq_shared.clock import Clock
from cq_shared.messaging.outbox import EventWriter


class UnknownResourceError(Exception):
    """No such resource at the requested site."""


async def book_manually(
    session: AsyncSession, writer: EventWriter, clock: Clock, request: NewBooking
) -> BookingPublic:
    """Book a resource; AlreadyBookedError if it overlaps a confirmed booking. A booking for
    a case's need is announced like an automatic one, so the case shows it."""
    resource = await sites.resource(session, request.resource_id)
    if resource is None or resource.site != request.site:
        raise UnknownResourceError
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
    await repository.insert(session, booking)
    if booking.case_id is not None and booking.need_id is not None:
        event = confirmed(booking, resource.name)
        await writer.add(session, event, subject=str(booking.case_id), site=booking.site)
    return BookingPublic.of(booking, resource.name, None)


async def cancel(session: AsyncSession, booking: Booking) -> None:
    """Cancel (idempotently) and free the resource or slot: both constraints only count
    confirmed bookings, so the period or slot can be booked again at once."""
    if booking.status == BookingStatus.CANCELLED:
        return
    booking.status = BookingStatus.CANCELLED
    session.add(booking)
    if booking.slot_id is not None:
        await sites.release_slot(session, booking.slot_id)
