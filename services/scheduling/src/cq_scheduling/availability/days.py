"""What "a day" of a place is: the window of time a booking must leave free for the place to
count as free that day."""

from datetime import date, datetime, time, timedelta

from cq_shared.sites import Site

# Guests of the Pflegegästewohnung arrive and leave at noon, as in a hotel: a stay of `days`
# nights runs from noon of the first day to noon of the last, and the next guest can
# arrive on the day the previous one leaves. So an apartment's day is a night: noon to noon.
CHANGEOVER = time(12, 0)
GUEST_APARTMENT = "guest_apartment"
# The longest period one availability question or announcement covers.
LONGEST_PERIOD_DAYS = 366


def day_window(site: Site, resource_type: str, day: date) -> tuple[datetime, datetime]:
    """A guest apartment's day runs noon to noon; any other place's, midnight to midnight."""
    if resource_type == GUEST_APARTMENT:
        return site.at(day, CHANGEOVER), site.at(day + timedelta(days=1), CHANGEOVER)
    return site.whole_day(day)


def days_touched(site: Site, resource_type: str, start: datetime, end: datetime) -> list[date]:
    """The site-local days whose window overlaps [start, end): the days a booking of that
    period takes a place from (or gives one back to)."""
    first = site.today(start) - timedelta(days=1)  # a night begins the day before its morning
    last = site.today(end)
    days = (first + timedelta(days=n) for n in range((last - first).days + 1))
    return [
        day
        for day in days
        if (window := day_window(site, resource_type, day))[0] < end and start < window[1]
    ]
