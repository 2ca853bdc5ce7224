"""Free capacity per day of a site, for any resource type."""

from datetime import date, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.availability import repository
from cq_scheduling.availability.days import LONGEST_PERIOD_DAYS
from cq_scheduling.availability.schemas import DayAvailability, SiteAvailability
from cq_scheduling.sites.models import ResourceType
from cq_scheduling.sites.service import check_site
from cq_shared.auth import Principal
from cq_shared.errors import InvalidError
from cq_shared.sites import SiteCatalogue

DEFAULT_DAYS = 14
# The last day asked about: its default fortnight and its window (to the next day, in any
# time zone) stay inside the calendar. Nobody plans care in the year 9999.
LATEST_DAY = date.max - timedelta(days=DEFAULT_DAYS + 2)
EARLIEST_DAY = date.min + timedelta(days=2)  # its window in UTC is still in the calendar


class AvailabilityPeriodError(InvalidError):
    def __init__(self) -> None:
        super().__init__(
            detail="`to` must not be before `from`, at most 366 days later, and both "
            "between 0001-01-03 and 9999-12-15."
        )


async def site_availability(
    session: AsyncSession,
    who: Principal,
    sites: SiteCatalogue,
    site: str,
    *,
    resource_type: ResourceType | None,
    start: date | None,
    end: date | None,
    now: datetime,
) -> SiteAvailability:
    """Capacity, booked and free places per day in [start, end] (both inclusive; two weeks
    by default), for one type or every type."""
    check_site(who, sites, site)
    start = start or sites[site].today(now)
    # Checked before any date is computed from them: `from=9999-12-31` plus two weeks, or
    # its last day's window, leaves the calendar (a 500 before).
    if not EARLIEST_DAY <= start <= LATEST_DAY or (
        end is not None and not EARLIEST_DAY <= end <= LATEST_DAY
    ):
        raise AvailabilityPeriodError
    last = end if end is not None else start + timedelta(days=DEFAULT_DAYS - 1)
    if not 0 <= (last - start).days < LONGEST_PERIOD_DAYS:
        raise AvailabilityPeriodError
    days = [start + timedelta(days=n) for n in range((last - start).days + 1)]
    types = [resource_type] if resource_type is not None else list(ResourceType)
    items = [
        DayAvailability(type=kind, date=f.day, capacity=f.capacity, booked=f.booked, free=f.free)
        for kind in types
        for f in await repository.per_day(session, site, sites[site], kind, days)
    ]
    return SiteAvailability(site=site, start=start, end=last, items=items)
