"""HTTP: holds (a place kept while the front desk is on the phone)."""

import uuid

from fastapi import APIRouter

from cq_scheduling.bookings import holds
from cq_scheduling.bookings.hold_schemas import ConfirmHold, HoldPublic, NewHold
from cq_scheduling.bookings.schemas import BookingPublic
from cq_scheduling.dependencies import ContextDep, Planner
from cq_shared.db import SessionDep
from cq_shared.http.problems import problem_responses

router = APIRouter(prefix="/v1/holds", tags=["holds"])
PROBLEMS = problem_responses(401, 403, 404, 409, 422)


@router.post("", status_code=201, responses=PROBLEMS)
async def create_hold(
    body: NewHold, session: SessionDep, who: Planner, context: ContextDep
) -> HoldPublic:
    """Keep a free place of the type for `ttl_minutes` (1 to 60): it counts as taken until
    it is confirmed, released, or expires. 409 when none is free."""
    return await holds.create_hold(session, context, who, body)


@router.post("/{hold_id}/confirm", responses=PROBLEMS)
async def confirm_hold(
    hold_id: uuid.UUID, body: ConfirmHold, session: SessionDep, who: Planner, context: ContextDep
) -> BookingPublic:
    """The held place becomes the case's booking; 409 once the hold has ended."""
    return await holds.confirm_hold(session, context, who, hold_id, body)


@router.post("/{hold_id}/release", responses=PROBLEMS)
async def release_hold(
    hold_id: uuid.UUID, session: SessionDep, who: Planner, context: ContextDep
) -> HoldPublic:
    return await holds.release_hold(session, context, who, hold_id)


@router.delete("/{hold_id}", responses=PROBLEMS)
async def delete_hold(
    hold_id: uuid.UUID, session: SessionDep, who: Planner, context: ContextDep
) -> HoldPublic:
    """The same as release."""
    return await holds.release_hold(session, context, who, hold_id)
