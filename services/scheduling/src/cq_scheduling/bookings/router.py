"""HTTP: list, make and cancel bookings. Every route is site-scoped by the caller's token."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from cq_scheduling.bookings import service
from cq_scheduling.bookings.schemas import BookingPublic, NewBooking
from cq_scheduling.dependencies import ContextDep, Planner, Reader
from cq_shared.contracts.inputs import SiteId
from cq_shared.db import SessionDep
from cq_shared.http.problems import problem_responses

router = APIRouter(prefix="/v1/bookings", tags=["bookings"])
# Documented error answers, all RFC 9457 problem details.
PROBLEMS = problem_responses(401, 403, 404, 409, 422)


@router.get("", responses=PROBLEMS)
async def list_bookings(
    *,
    session: SessionDep,
    who: Reader,
    context: ContextDep,
    case_id: uuid.UUID | None = None,
    site: SiteId | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[BookingPublic]:
    """Bookings, earliest first, of the sites the caller may see (or of one of them)."""
    return await service.list_bookings(
        session, who, site=site, case_id=case_id, limit=limit, now=context.clock.now()
    )


@router.post("", status_code=201, responses=PROBLEMS)
async def create_booking(
    body: NewBooking, session: SessionDep, who: Planner, context: ContextDep
) -> BookingPublic:
    who.require_site(body.site)
    return await service.book_manually(
        session, context.writer, context.clock, body, who=who, sites_catalogue=context.sites
    )


@router.post("/{booking_id}/cancel", responses=PROBLEMS)
async def cancel_booking(
    booking_id: uuid.UUID, session: SessionDep, who: Planner, context: ContextDep
) -> BookingPublic:
    """Cancel; the case is told, and the freed place goes to the first person waiting."""
    return await service.cancel(session, context, who, booking_id)
