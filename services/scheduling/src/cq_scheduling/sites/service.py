"""Reading a site's inventory: resources, staff and free counselling slots."""

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.sites import repository
from cq_scheduling.sites.models import CounsellingSlot, Resource, ResourceType, Staff
from cq_shared.auth import Principal
from cq_shared.errors import InvalidError, NotFoundError
from cq_shared.sites import SiteCatalogue

DEFAULT_WINDOW = timedelta(days=14)
LONGEST_WINDOW = timedelta(days=62)


class SiteNotServedError(NotFoundError):
    """The site exists nowhere in this deployment's inventory."""


class SlotWindowError(InvalidError):
    """`to` is not after `from`, or more than LONGEST_WINDOW after it."""

    def __init__(self) -> None:
        super().__init__(detail="`to` must be after `from`, at most 62 days later.")


def check_site(who: Principal, sites: SiteCatalogue, site: str) -> None:
    who.require_site(site)  # 403 before 404: do not tell outsiders which sites exist
    if not sites.serves(site, "scheduling"):
        raise SiteNotServedError("This site is not served here.")


async def resources(
    session: AsyncSession,
    who: Principal,
    sites: SiteCatalogue,
    site: str,
    resource_type: ResourceType | None,
) -> Sequence[Resource]:
    check_site(who, sites, site)
    return await repository.resources(session, site, resource_type)


async def staff(
    session: AsyncSession, who: Principal, sites: SiteCatalogue, site: str
) -> Sequence[Staff]:
    check_site(who, sites, site)
    return await repository.staff(session, site)


async def free_slots(
    session: AsyncSession,
    who: Principal,
    sites: SiteCatalogue,
    site: str,
    *,
    start: datetime,
    end: datetime | None,
    language: str | None,
) -> Sequence[tuple[CounsellingSlot, Staff]]:
    """Free counselling slots starting in [start, end); `end` defaults to two weeks later."""
    check_site(who, sites, site)
    end = end or start + DEFAULT_WINDOW
    if not start < end <= start + LONGEST_WINDOW:
        raise SlotWindowError
    return await repository.free_slots(session, site, start=start, end=end, language=language)
