"""HTTP: a place's waiting entry answered or withdrawn (`/v1/waitlist/{entry_id}/...`):
accept or decline an offered place, cancel a wait. Courses' registrations have their own
routes (/v1/registrations)."""

import uuid
from collections.abc import Awaitable, Callable

from fastapi import APIRouter
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.bookings import waiting
from cq_scheduling.bookings.telling import tell
from cq_scheduling.bookings.waiting import Moves
from cq_scheduling.dependencies import ContextDep, Planner
from cq_scheduling.waitlist import queue
from cq_scheduling.waitlist import repository as waitlist
from cq_scheduling.waitlist.models import EntryStatus
from cq_shared.auth import Principal
from cq_shared.db import SessionDep
from cq_shared.errors import ConflictError, NotFoundError
from cq_shared.http.problems import problem_responses
from cq_shared.service import ServiceContext

router = APIRouter(prefix="/v1/waitlist", tags=["bookings"])
PROBLEMS = problem_responses(401, 403, 404, 409)


class EntryNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__("There is no waiting entry for a place with this id.")


class NoOpenOfferError(ConflictError):
    def __init__(self) -> None:
        super().__init__("This entry holds no open offer (answered, or its hold ran out).")


Move = Callable[[AsyncSession, uuid.UUID], Awaitable[Moves | None]]


async def _answer(
    session: AsyncSession,
    context: ServiceContext,
    who: Principal,
    entry_id: uuid.UUID,
    move: Move,
) -> dict[str, str]:
    seen = await waitlist.entry(session, entry_id)
    if seen is None or seen.starts_at is None:
        raise EntryNotFoundError
    who.require_site(seen.site)
    try:
        moves = await move(session, entry_id)
    except queue.NotOfferedError:
        raise NoOpenOfferError from None
    if moves is None:
        raise EntryNotFoundError
    now = context.clock.now()
    await tell(session, context, moves, now=now)
    after = await waitlist.entry(session, entry_id)
    assert after is not None
    return {"entry_id": str(entry_id), "status": after.status}


@router.post("/{entry_id}/accept", responses=PROBLEMS)
async def accept(
    entry_id: uuid.UUID, session: SessionDep, who: Planner, context: ContextDep
) -> dict[str, str]:
    now = context.clock.now()
    return await _answer(
        session, context, who, entry_id, lambda s, e: waiting.accept(s, e, now=now)
    )


@router.post("/{entry_id}/decline", responses=PROBLEMS)
async def decline(
    entry_id: uuid.UUID, session: SessionDep, who: Planner, context: ContextDep
) -> dict[str, str]:
    now = context.clock.now()
    return await _answer(
        session,
        context,
        who,
        entry_id,
        lambda s, e: waiting.leave(s, e, EntryStatus.DECLINED, now=now),
    )


@router.post("/{entry_id}/cancel", responses=PROBLEMS)
async def cancel(
    entry_id: uuid.UUID, session: SessionDep, who: Planner, context: ContextDep
) -> dict[str, str]:
    now = context.clock.now()
    return await _answer(
        session,
        context,
        who,
        entry_id,
        lambda s, e: waiting.leave(s, e, EntryStatus.CANCELLED, now=now),
    )
