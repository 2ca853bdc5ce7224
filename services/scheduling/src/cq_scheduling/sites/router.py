"""HTTP: a site's resources, staff and free counselling slots (read only)."""

from typing import Annotated

from fastapi import APIRouter, Query

from cq_scheduling.dependencies import ContextDep, Reader, SitesDep
from cq_scheduling.sites import service
from cq_scheduling.sites.models import ResourceType
from cq_scheduling.sites.schemas import ResourcePublic, SlotPublic, StaffPublic
from cq_shared.contracts import Language
from cq_shared.contracts.inputs import Instant
from cq_shared.db import SessionDep
from cq_shared.http.problems import problem_responses

router = APIRouter(prefix="/v1/sites/{site}", tags=["sites"])
PROBLEMS = problem_responses(401, 403, 404, 422)


@router.get("/resources", responses=PROBLEMS)
async def list_resources(
    site: str,
    session: SessionDep,
    who: Reader,
    sites: SitesDep,
    resource_type: Annotated[ResourceType | None, Query(alias="type")] = None,
) -> list[ResourcePublic]:
    found = await service.resources(session, who, sites, site, resource_type)
    return [ResourcePublic.of(resource) for resource in found]


@router.get("/staff", responses=PROBLEMS)
async def list_staff(
    site: str, session: SessionDep, who: Reader, sites: SitesDep
) -> list[StaffPublic]:
    return [StaffPublic.of(person) for person in await service.staff(session, who, sites, site)]


@router.get("/slots", responses=PROBLEMS)
async def list_free_slots(
    site: str,
    *,
    session: SessionDep,
    who: Reader,
    context: ContextDep,
    sites: SitesDep,
    start: Annotated[Instant | None, Query(alias="from")] = None,
    end: Annotated[Instant | None, Query(alias="to")] = None,
    language: Language | None = None,
) -> list[SlotPublic]:
    """Free counselling slots starting in [from, to): by default the next 14 days; with
    `language`, only with counsellors who speak it."""
    found = await service.free_slots(
        session,
        who,
        sites,
        site,
        start=start or context.clock.now(),
        end=end,
        language=language,
    )
    return [SlotPublic.of(slot, person) for slot, person in found]
