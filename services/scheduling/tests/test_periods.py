"""Local dates to instants: noon-to-noon stays, whole days, weekday counselling hours."""

from datetime import UTC, date, time, timedelta

import pytest

from cq_scheduling.bookings import periods
from cq_scheduling.sites.slot_plan import weekday_slots
from cq_shared.sites import load_site_catalogue

SITE = load_site_catalogue()["muenster"]
SITE_ZONE = SITE.zone


def test_a_stay_runs_from_noon_to_noon_in_berlin_also_across_the_change_to_summer_time() -> None:
    # Summer time starts on Sunday 31 March 2030: the stay is one hour shorter in UTC.
    start, end = periods.short_term_care(SITE, date(2030, 3, 30), 2)
    assert start.astimezone(SITE_ZONE).time() == end.astimezone(SITE_ZONE).time() == time(12)
    assert end.astimezone(SITE_ZONE).date() == date(2030, 4, 1)
    # (Subtracting in UTC: Python subtracts wall-clock times when both share one zone.)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=47)
    with pytest.raises(ValueError, match="at least one day"):
        periods.short_term_care(SITE, date(2030, 3, 30), 0)


def test_a_day_care_place_is_booked_for_the_whole_local_day() -> None:
    start, end = periods.day_care(SITE, date(2030, 3, 31))
    assert start.astimezone(SITE_ZONE).time() == time(0)
    assert end.astimezone(UTC) - start.astimezone(UTC) == timedelta(hours=23)


def test_counselling_hours_are_weekdays_nine_to_four_in_local_time() -> None:
    # Friday 29 March to Monday 1 April 2030, across the change to summer time.
    slots = list(
        weekday_slots(
            SITE, date(2030, 3, 29), 4, opens=time(9), closes=time(16), length=timedelta(hours=1)
        )
    )
    days = sorted({start.astimezone(SITE_ZONE).date() for start, _ in slots})
    assert days == [date(2030, 3, 29), date(2030, 4, 1)]
    assert len(slots) == 14
    local_starts = {start.astimezone(SITE_ZONE).time() for start, _ in slots}
    assert local_starts == {time(hour) for hour in range(9, 16)}
    assert all(end - start == timedelta(hours=1) for start, end in slots)
