"""HTTP: free capacity per day (GET /v1/sites/{site}/availability)."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Query

from cq_scheduling.availability import service
from cq_scheduling.availability.schemas import SiteAvailability
from cq_scheduling.dependencies import ContextDep, Reader, SitesDep
from cq_scheduling.sites.models import ResourceType
from cq_shared.db import SessionDep
from cq_shared.http.problems import problem_responses

router = APIRouter(prefix="/v1/sites/{site}", tags=["availability"])
PROBLEMS = problem_responses(401, 403, 404, 422)


@router.get("/availability", responses=PROBLEMS)
async def availability(
    site: str,
    *,
    session: SessionDep,
    who: Reader,
    context: ContextDep,
    sites: SitesDep,
    resource_type: Annotated[ResourceType | None, Query(alias="type")] = None,
    start: Annotated[date | None, Query(alias="from")] = None,
    end: Annotated[date | None, Query(alias="to")] = None,
) -> SiteAvailability:
    """Places per day from `from` (today) to `to` (inclusive; two weeks by default): how
    many the site has, how many are booked, how many are free. A guest apartment's day is
    the night from noon to noon; other places' days run midnight to midnight."""
    return await service.site_availability(
        session,
        who,
        sites,
        site,
        resource_type=resource_type,
        start=start,
        end=end,
        now=context.clock.now(),
    )
