"""HTTP: shift plans, absences, gaps and the answers to shift offers (issue 10's contract).
Every route is site-scoped by the caller's token."""

import uuid
from datetime import time, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from cq_scheduling.dependencies import ContextDep, Planner, Reader, SiteAdmin, SitesDep
from cq_scheduling.sites.service import check_site
from cq_scheduling.staffing import absences, offers, shifts
from cq_scheduling.staffing.models import GapStatus
from cq_scheduling.staffing.rules import Period
from cq_scheduling.staffing.schemas import (
    AbsencePublic,
    GapPublic,
    NewAbsence,
    NewShift,
    OfferPublic,
    ShiftPublic,
)
from cq_shared.auth import Principal, Role, require_roles
from cq_shared.contracts.inputs import Day, SiteId
from cq_shared.db import SessionDep
from cq_shared.errors import InvalidError
from cq_shared.http.problems import problem_responses

router = APIRouter(tags=["staffing"])
PROBLEMS = problem_responses(401, 403, 404, 409, 422)
# The person offered a shift answers (a care_staff token with their staff_id), or a
# coordinator for them; offers.py checks which person.
Answerer = Annotated[Principal, Depends(require_roles(Role.CARE_STAFF, Role.COORDINATOR))]
LONGEST_LISTING = timedelta(days=62)


@router.get("/v1/sites/{site}/shifts", responses=PROBLEMS)
async def list_shifts(  # noqa: PLR0917 - FastAPI passes the query by name
    site: SiteId,
    session: SessionDep,
    who: Reader,
    context: ContextDep,
    start: Annotated[Day, Query(alias="from", description="First day, site time.")],
    end: Annotated[Day, Query(alias="to", description="Last day (included), site time.")],
    unit: Annotated[str | None, Query(max_length=200)] = None,
    staff_id: uuid.UUID | None = None,
) -> list[ShiftPublic]:
    """The shifts touching the days from `from` to `to` (at most 62 days)."""
    check_site(who, context.sites, site)
    if end < start or end - start > LONGEST_LISTING:
        raise InvalidError(detail="`to` must not be before `from`, and at most 62 days after it.")
    place = context.sites[site]
    period = Period(place.at(start, time(0)), place.at(end + timedelta(days=1), time(0)))
    return await shifts.list_shifts(
        session, context.sites, who, site, period, unit=unit, staff_id=staff_id
    )


@router.post("/v1/sites/{site}/shifts", status_code=201, responses=PROBLEMS)
async def create_shift(
    site: SiteId, body: NewShift, session: SessionDep, who: SiteAdmin, context: ContextDep
) -> ShiftPublic:
    """Plan a shift, with its person or uncovered. A person's shift must keep every rule
    (qualification, overlap, rest time, daily maximum, consecutive days): else 422."""
    return await shifts.create_shift(session, context, who, site, body)


@router.post("/v1/staff/{staff_id}/absences", status_code=201, responses=PROBLEMS)
async def report_absence(
    staff_id: uuid.UUID,
    body: NewAbsence,
    session: SessionDep,
    who: Planner,
    context: ContextDep,
) -> AbsencePublic:
    """Every shift of the person in the period becomes a gap; all of them are offered at
    once, each to the best person who may take it with the others (or `unfilled`)."""
    return await absences.report_absence(session, context, who, staff_id, body)


@router.get("/v1/sites/{site}/shift-gaps", responses=PROBLEMS)
async def list_gaps(
    site: SiteId,
    session: SessionDep,
    who: Reader,
    sites: SitesDep,
    status: GapStatus | None = None,
) -> list[GapPublic]:
    return await shifts.list_gaps(session, sites, who, site, status)


@router.post("/v1/shift-offers/{offer_id}/accept", responses=PROBLEMS)
async def accept(
    offer_id: uuid.UUID, session: SessionDep, who: Answerer, context: ContextDep
) -> OfferPublic:
    return await offers.accept(session, context, who, offer_id)


@router.post("/v1/shift-offers/{offer_id}/decline", responses=PROBLEMS)
async def decline(
    offer_id: uuid.UUID, session: SessionDep, who: Answerer, context: ContextDep
) -> OfferPublic:
    return await offers.decline(session, context, who, offer_id)
