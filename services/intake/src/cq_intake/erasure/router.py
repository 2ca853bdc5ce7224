"""HTTP: ask for a case's erasure, and see how far it got."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from cq_intake.dependencies import ContextDep
from cq_intake.erasure import service
from cq_intake.erasure.schemas import ErasureStatus
from cq_shared.auth import Principal, Role, require_roles
from cq_shared.db import SessionDep
from cq_shared.http.problems import problem_responses

router = APIRouter(prefix="/v1/cases/{case_id}/erasure", tags=["erasure"])
PROBLEMS = problem_responses(401, 403, 404, 422)
# Erasing is a decision about a person: the coordinator or the site's administrator.
Eraser = Annotated[Principal, Depends(require_roles(Role.COORDINATOR, Role.SITE_ADMIN))]
# Following it: also care staff and the data protection officer (who checks it happened).
Follower = Annotated[
    Principal,
    Depends(
        require_roles(
            Role.COORDINATOR, Role.SITE_ADMIN, Role.CARE_STAFF, Role.DATA_PROTECTION_OFFICER
        )
    ),
]


@router.post("", status_code=202, responses=PROBLEMS, summary="Erase the case's person")
async def request_erasure(
    case_id: uuid.UUID,
    who: Eraser,
    session: SessionDep,
    context: ContextDep,
    response: Response,
) -> ErasureStatus:
    """Idempotent: asking again answers the same status and erases nothing twice."""
    response.headers["Location"] = f"/v1/cases/{case_id}/erasure"
    return await service.request_erasure(session, context, case_id, who)


@router.get("", responses=PROBLEMS, summary="How far the erasure got, service by service")
async def erasure_status(
    case_id: uuid.UUID, who: Follower, session: SessionDep, context: ContextDep
) -> ErasureStatus:
    return await service.status(session, context, case_id, who)
