"""HTTP: a site's courses, their registrations and the answers to offers. Every route is
site-scoped by the caller's token."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Query

from cq_scheduling.courses import registrations, service
from cq_scheduling.courses.schemas import (
    CourseCreated,
    CoursePublic,
    NewCourse,
    NewRegistration,
    RegistrationPublic,
)
from cq_scheduling.dependencies import ContextDep, Planner, Reader, SiteAdmin
from cq_shared.contracts.inputs import SiteId
from cq_shared.db import SessionDep
from cq_shared.http.problems import problem_responses

router = APIRouter(tags=["courses"])
PROBLEMS = problem_responses(401, 403, 404, 409, 422)
Limit = Annotated[int, Query(ge=1, le=500)]


@router.post("/v1/sites/{site}/courses", status_code=201, responses=PROBLEMS)
async def create_course(
    site: SiteId, body: NewCourse, session: SessionDep, who: SiteAdmin, context: ContextDep
) -> CourseCreated:
    return await service.create_course(session, context, who, site, body)


@router.get("/v1/sites/{site}/courses", responses=PROBLEMS)
async def list_courses(
    site: SiteId, session: SessionDep, who: Reader, context: ContextDep, limit: Limit = 100
) -> list[CoursePublic]:
    """A site's courses with their places: capacity, confirmed, offered, waitlisted, free."""
    return await service.list_courses(session, who, site, now=context.clock.now(), limit=limit)


@router.get("/v1/courses/{course_id}/registrations", responses=PROBLEMS)
async def list_registrations(
    course_id: uuid.UUID, session: SessionDep, who: Reader, context: ContextDep, limit: Limit = 500
) -> list[RegistrationPublic]:
    """In order of arrival; waitlisted ones with their 1-based position."""
    return await registrations.list_registrations(
        session, who, course_id, now=context.clock.now(), limit=limit
    )


@router.post("/v1/courses/{course_id}/registrations", status_code=201, responses=PROBLEMS)
async def register(
    course_id: uuid.UUID,
    body: NewRegistration,
    session: SessionDep,
    who: Planner,
    context: ContextDep,
) -> RegistrationPublic:
    """Register a case at the front desk: confirmed while places are free, else waitlisted.
    A case registered already gets its registration back."""
    return await registrations.register_by_staff(
        session,
        context,
        who,
        course_id,
        case_id=body.case_id,
        need_id=body.need_id,
        urgency=body.urgency,
    )


@router.post("/v1/registrations/{registration_id}/cancel", responses=PROBLEMS)
async def cancel(
    registration_id: uuid.UUID, session: SessionDep, who: Planner, context: ContextDep
) -> RegistrationPublic:
    return await registrations.cancel(session, context, who, registration_id)


@router.post("/v1/registrations/{registration_id}/accept", responses=PROBLEMS)
async def accept(
    registration_id: uuid.UUID, session: SessionDep, who: Planner, context: ContextDep
) -> RegistrationPublic:
    return await registrations.accept(session, context, who, registration_id)


@router.post("/v1/registrations/{registration_id}/decline", responses=PROBLEMS)
async def decline(
    registration_id: uuid.UUID, session: SessionDep, who: Planner, context: ContextDep
) -> RegistrationPublic:
    return await registrations.decline(session, context, who, registration_id)
