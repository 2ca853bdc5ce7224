"""Wall-clock time at the sites. Every site is in Germany, so one zone; stored values are
timestamptz (UTC), and this module is the only place that turns local dates into instants."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

SITE_ZONE = ZoneInfo("Europe/Berlin")


def at_local(day: date, clock_time: time) -> datetime:
    """The instant `day` at `clock_time` in the sites' zone (DST-aware, not a fixed offset)."""
    return datetime.combine(day, clock_time, tzinfo=SITE_ZONE)


def local_today(now: datetime) -> date:
    return now.astimezone(SITE_ZONE).date()


def local_day(day: date) -> tuple[datetime, datetime]:
    """Midnight to midnight of `day`: 23 or 25 hours on the days the clocks change."""
    return at_local(day, time()), at_local(day + timedelta(days=1), time())
