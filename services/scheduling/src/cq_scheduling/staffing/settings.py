"""A site's staffing configuration, read from `staffing_rules` (defaults without a row)."""

from dataclasses import dataclass
from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.staffing import repository
from cq_scheduling.staffing.rules import RuleSet
from cq_shared.sites import Site

DEFAULT_OFFER_TIMEOUT = timedelta(hours=2)


@dataclass(frozen=True)
class SiteStaffing:
    rules: RuleSet
    offer_timeout: timedelta


async def of_site(session: AsyncSession, site_id: str, site: Site) -> SiteStaffing:
    row = await repository.rules_row(session, site_id)
    if row is None:
        return SiteStaffing(RuleSet(zone=site.zone), DEFAULT_OFFER_TIMEOUT)
    rules = RuleSet(
        zone=site.zone,
        qualifications=tuple(row.qualifications),
        min_rest=timedelta(minutes=row.min_rest_minutes),
        max_daily=timedelta(minutes=row.max_daily_minutes),
        max_consecutive_days=row.max_consecutive_days,
    )
    return SiteStaffing(rules, timedelta(minutes=row.offer_timeout_minutes))
