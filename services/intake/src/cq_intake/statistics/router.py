"""HTTP: a site's anonymous case counts (kept through erasures)."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from cq_intake.dependencies import ContextDep
from cq_intake.statistics import service
from cq_intake.statistics.schemas import SiteStatistics
from cq_shared.auth import Principal, Role, require_roles
from cq_shared.contracts.inputs import Instant, SiteId
from cq_shared.db import SessionDep
from cq_shared.http.problems import problem_responses

router = APIRouter(prefix="/v1/sites/{site}/statistics", tags=["statistics"])
PROBLEMS = problem_responses(401, 403, 422)
# Counts hold no one's data: the people who plan a site's work, and its data protection
# officer (who checks that erasure keeps nothing but counts).
Reader = Annotated[
    Principal,
    Depends(
        require_roles(
            Role.COORDINATOR, Role.SITE_ADMIN, Role.CARE_STAFF, Role.DATA_PROTECTION_OFFICER
        )
    ),
]


@router.get("", responses=PROBLEMS, summary="Case counts: need and outcome, age band, care level")
async def site_statistics(
    *,
    site: SiteId,
    who: Reader,
    session: SessionDep,
    context: ContextDep,
    start: Annotated[Instant | None, Query(alias="from")] = None,
    end: Annotated[Instant | None, Query(alias="to")] = None,
) -> SiteStatistics:
    """Cases opened in [from, to): by default the last 30 days."""
    until = end or context.clock.now()
    since = start or until - service.DEFAULT_PERIOD
    return await service.site_statistics(session, who, site, since, until)
