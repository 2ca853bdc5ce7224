"""Which counselling hours to offer: pure date arithmetic, no database."""

from collections.abc import Iterator
from datetime import date, datetime, time, timedelta

from cq_shared.sites import Site

SATURDAY = 5


def weekday_slots(
    site: Site, first_day: date, days: int, *, opens: time, closes: time, length: timedelta
) -> Iterator[tuple[datetime, datetime]]:
    """Back-to-back slots of `length` from `opens` until `closes` (local wall-clock time) on
    each weekday of `days` days from `first_day`. Local times, so 09:00 stays 09:00 across
    a change to or from summer time."""
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        if day.weekday() >= SATURDAY:
            continue
        start = datetime.combine(day, opens)
        while start + length <= datetime.combine(day, closes):
            yield site.at(day, start.time()), site.at(day, (start + length).time())
            start += length
