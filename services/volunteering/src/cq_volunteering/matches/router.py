"""`/v1/matches`: proposals with their reasons, and the volunteer's answer."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from cq_shared.auth import Principal, Role, require_roles
from cq_shared.contracts.inputs import SiteId
from cq_shared.db import SessionDep
from cq_volunteering.dependencies import ContextDep
from cq_volunteering.matches import service
from cq_volunteering.matches.models import Match, MatchStatus
from cq_volunteering.matches.schemas import MatchPublic

router = APIRouter(prefix="/v1/matches", tags=["matches"])
# A volunteer reads and answers only their own matches (the service filters by the token's
# volunteer_id; someone else's match is a 404 to read and a 403 to answer).
Reader = Annotated[Principal, Depends(require_roles(*service.SEE_ALL_ROLES, Role.VOLUNTEER))]
Answerer = Annotated[Principal, Depends(require_roles(*service.ANSWER_ALL_ROLES, Role.VOLUNTEER))]


@router.get("")
async def list_matches(
    *,
    session: SessionDep,
    who: Reader,
    context: ContextDep,
    case_id: Annotated[uuid.UUID | None, Query()] = None,
    site: Annotated[SiteId | None, Query()] = None,
    status: Annotated[MatchStatus | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[MatchPublic]:
    """Matches in creation order, of the given site or of every site the caller may see; a
    volunteer's own only."""
    rows = await service.list_rows(
        session,
        who,
        site=site,
        case_id=case_id,
        status=status,
        limit=limit,
        now=context.clock.now(),
    )
    return [_public(match, name) for match, name in rows]


@router.get("/{match_id}")
async def get_match(
    match_id: uuid.UUID, session: SessionDep, who: Reader, context: ContextDep
) -> MatchPublic:
    return _public(*await service.read_row(session, who, match_id, now=context.clock.now()))


@router.post("/{match_id}/accept")
async def accept_match(
    match_id: uuid.UUID, session: SessionDep, who: Answerer, context: ContextDep
) -> MatchPublic:
    match = await service.accept(session, context, match_id, who)
    return await _reloaded(session, who, match)


@router.post("/{match_id}/decline")
async def decline_match(
    match_id: uuid.UUID, session: SessionDep, who: Answerer, context: ContextDep
) -> MatchPublic:
    """Decline; the next best volunteer not yet asked is proposed (see GET /v1/matches)."""
    match = await service.decline(session, context, match_id, who)
    return await _reloaded(session, who, match)


async def _reloaded(session: SessionDep, who: Principal, match: Match) -> MatchPublic:
    # Written in this transaction, by a caller who may see it (the answer is audited).
    return _public(*await service.get_row(session, who, match.id))


def _public(match: Match, volunteer_given_name: str) -> MatchPublic:
    return MatchPublic(
        match_id=match.id,
        case_id=match.case_id,
        need_id=match.need_id,
        need_type=match.need_type,
        site=match.site,
        volunteer_id=match.volunteer_id,
        volunteer_given_name=volunteer_given_name,
        status=match.status,
        score=match.score,
        reasons=match.reasons,
        created_at=match.created_at,
        decided_at=match.decided_at,
    )
