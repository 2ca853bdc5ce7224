"""HTTP: list, make and cancel bookings. Every route is site-scoped by the caller's token."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from cq_scheduling.bookings import repository, service
from cq_scheduling.bookings.schemas import BookingPublic, NewBooking, SiteId
from cq_scheduling.dependencies import ContextDep, Planner, Reader
from cq_shared.db import SessionDep
from cq_shared.http.problems import Problem, ProblemError

router = APIRouter(prefix="/v1/bookings", tags=["bookings"])
# Documented error answers, all RFC 9457 problem details.
PROBLEMS: dict[int | str, dict[str, object]] = {
    status: {"model": Problem} for status in (401, 403, 404, 409, 422)
}


@router.get("", responses=PROBLEMS)
async def list_bookings(
    session: SessionDep,
    who: Reader,
    case_id: uuid.UUID | None = None,
    site: SiteId | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[BookingPublic]:
    """Bookings, earliest first, of the sites the caller may see (or of one of them)."""
    if site is not None:
        who.require_site(site)
    sites = None if who.has_all_sites else who.sites
    found = await repository.rows(session, sites=sites, site=site, case_id=case_id, limit=limit)
    return [BookingPublic.from_row(row) for row in found]


@router.post("", status_code=201, responses=PROBLEMS)
async def create_booking(
    body: NewBooking, session: SessionDep, who: Planner, context: ContextDep
) -> BookingPublic:
    who.require_site(body.site)
    try:
        return await service.book_manually(session, context.writer, context.clock, body)
    except service.UnknownResourceError:
        raise ProblemError(422, detail="There is no resource with this id at this site.") from None
    except repository.AlreadyBookedError:
        raise ProblemError(
            409, detail="The resource is already booked for an overlapping period."
        ) from None


@router.post("/{booking_id}/cancel", responses=PROBLEMS)
async def cancel_booking(booking_id: uuid.UUID, session: SessionDep, who: Planner) -> BookingPublic:
    booking = await repository.get_for_update(session, booking_id)
    if booking is None:
        raise ProblemError(404, detail="There is no booking with this id.")
    who.require_site(booking.site)
    await service.cancel(session, booking)
    (row,) = await repository.rows(session, sites=None, booking_id=booking.id)
    return BookingPublic.from_row(row)
