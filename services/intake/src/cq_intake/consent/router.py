"""HTTP: change the client's consent to one purpose."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Response

from cq_intake.consent import service
from cq_intake.consent.schemas import ConsentChange, ConsentView
from cq_intake.dependencies import ContextDep
from cq_shared.auth import Principal, Role, require_roles
from cq_shared.db import SessionDep
from cq_shared.http.problems import problem_responses

router = APIRouter(prefix="/v1/cases/{case_id}/consent", tags=["consent"])
PROBLEMS = problem_responses(401, 403, 404, 410, 422)
# Whoever takes the client's word at the front desk records it: withdrawing must be as easy
# as giving (GDPR Art. 7 (3)), and consent was given to the same people.
Recorder = Annotated[
    Principal, Depends(require_roles(Role.COORDINATOR, Role.CARE_STAFF, Role.SITE_ADMIN))
]


@router.post("", responses=PROBLEMS, summary="Give or withdraw consent to one purpose")
async def change_consent(
    *,
    case_id: uuid.UUID,
    body: ConsentChange,
    who: Recorder,
    session: SessionDep,
    context: ContextDep,
    response: Response,
) -> ConsentView:
    """200 with the consents now; withdrawing `data_processing` erases the person: 202, and
    `Location` points at the erasure's status."""
    changed = await service.change(session, context, case_id, body, who)
    if changed.erased:
        response.status_code = 202
        response.headers["Location"] = f"/v1/cases/{case_id}/erasure"
    return changed
