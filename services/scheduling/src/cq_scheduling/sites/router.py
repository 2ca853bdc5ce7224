"""HTTP: a site's resources, staff and free counselling slots (read only)."""

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Query
from pydantic import AwareDatetime

from cq_scheduling.dependencies import ContextDep, Reader
from cq_scheduling.settings import served_sites
from cq_scheduling.sites import repository
from cq_scheduling.sites.models import ResourceType
from cq_scheduling.sites.schemas import ResourcePublic, SlotPublic, StaffPublic
from cq_shared.auth import Principal
from cq_shared.contracts import Language
from cq_shared.db import SessionDep
from cq_shared.http.problems import Problem, ProblemError

router = APIRouter(prefix="/v1/sites/{site}", tags=["sites"])
PROBLEMS: dict[int | str, dict[str, object]] = {
    status: {"model": Problem} for status in (401, 403, 404, 422)
}
DEFAULT_WINDOW = timedelta(days=14)
LONGEST_WINDOW = timedelta(days=62)


def _check_site(who: Principal, site: str) -> None:
    who.require_site(site)  # 403 before 404: do not tell outsiders which sites exist
    if site not in served_sites():
        raise ProblemError(404, detail="This site is not served here.")


@router.get("/resources", responses=PROBLEMS)
async def list_resources(
    site: str,
    session: SessionDep,
    who: Reader,
    resource_type: Annotated[ResourceType | None, Query(alias="type")] = None,
) -> list[ResourcePublic]:
    _check_site(who, site)
    found = await repository.resources(session, site, resource_type)
    return [ResourcePublic.of(resource) for resource in found]


@router.get("/staff", responses=PROBLEMS)
async def list_staff(site: str, session: SessionDep, who: Reader) -> list[StaffPublic]:
    _check_site(who, site)
    return [StaffPublic.of(person) for person in await repository.staff(session, site)]


@router.get("/slots", responses=PROBLEMS)
async def list_free_slots(
    site: str,
    *,
    session: SessionDep,
    who: Reader,
    context: ContextDep,
    start: Annotated[AwareDatetime | None, Query(alias="from")] = None,
    end: Annotated[AwareDatetime | None, Query(alias="to")] = None,
    language: Language | None = None,
) -> list[SlotPublic]:
    """Free counselling slots starting in [from, to): by default the next 14 days; with
    `language`, only with counsellors who speak it."""
    _check_site(who, site)
    start = start or context.clock.now()
    end = end or start + DEFAULT_WINDOW
    if not start < end <= start + LONGEST_WINDOW:
        raise ProblemError(422, detail="`to` must be after `from`, at most 62 days later.")
    found = await repository.free_slots(session, site, start=start, end=end, language=language)
    return [SlotPublic.of(slot, person) for slot, person in found]
