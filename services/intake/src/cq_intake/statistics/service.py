"""A site's anonymous counts over a period."""

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_intake.statistics import repository
from cq_intake.statistics.schemas import Count, SiteStatistics
from cq_shared.auth import Principal
from cq_shared.errors import InvalidError

LONGEST_PERIOD = timedelta(days=366)
DEFAULT_PERIOD = timedelta(days=30)


class PeriodError(InvalidError):
    def __init__(self) -> None:
        super().__init__(detail="`to` must be after `from`, at most 366 days later.")


async def site_statistics(
    session: AsyncSession, who: Principal, site: str, start: datetime, end: datetime
) -> SiteStatistics:
    who.require_site(site)
    if not start < end <= start + LONGEST_PERIOD:
        raise PeriodError
    found = await repository.counts(session, site, start, end)
    return SiteStatistics(
        site=site,
        start=start,
        end=end,
        cases=found.cases,
        erased=found.erased,
        by_need=[Count(key={"need_type": t, "state": s}, count=n) for t, s, n in found.by_need],
        by_age_band=[Count(key={"age_band": band}, count=n) for band, n in found.by_age_band],
        by_care_level=[
            Count(key={"care_level": level}, count=n) for level, n in found.by_care_level
        ],
    )
