"""When a need's booking starts and ends: pure functions of a site's local dates."""

from datetime import date, datetime, timedelta

from cq_scheduling.availability.days import CHANGEOVER
from cq_shared.sites import Site


def short_term_care(site: Site, first_day: date, days: int) -> tuple[datetime, datetime]:
    if days < 1:
        raise ValueError("a stay lasts at least one day")
    return site.at(first_day, CHANGEOVER), site.at(first_day + timedelta(days=days), CHANGEOVER)


def day_care(site: Site, day: date) -> tuple[datetime, datetime]:
    """A day-care place is booked for the whole calendar day (local midnight to midnight)."""
    return site.whole_day(day)
