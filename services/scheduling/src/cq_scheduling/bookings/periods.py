"""When a need's booking starts and ends: pure functions of a site's local dates."""

from datetime import date, datetime, time, timedelta

from cq_shared.sites import Site

# Guests of the Pflegegästewohnung arrive and leave at noon, as in a hotel: a stay of `days`
# nights runs from noon of the first day to noon of the last, and the next guest can
# arrive on the day the previous one leaves.
CHANGEOVER = time(12, 0)


def short_term_care(site: Site, first_day: date, days: int) -> tuple[datetime, datetime]:
    if days < 1:
        raise ValueError("a stay lasts at least one day")
    return site.at(first_day, CHANGEOVER), site.at(first_day + timedelta(days=days), CHANGEOVER)


def day_care(site: Site, day: date) -> tuple[datetime, datetime]:
    """A day-care place is booked for the whole calendar day (local midnight to midnight)."""
    return site.whole_day(day)
