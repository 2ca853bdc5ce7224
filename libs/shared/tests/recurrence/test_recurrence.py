"""Recurrences by dateutil: the right days, and refusals for the unbounded and the absurd."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cq_shared.recurrence import (
    MOST_OCCURRENCES,
    RecurrenceError,
    Weekday,
    recurring_days,
    rule_starts,
)

BERLIN = ZoneInfo("Europe/Berlin")
TUESDAY = date(2030, 3, 5)


def test_tuesdays_and_thursdays_over_eight_weeks() -> None:
    days = recurring_days(
        TUESDAY,
        until=TUESDAY + timedelta(weeks=8) - timedelta(days=1),
        weekdays=[Weekday.THU, Weekday.TUE],
    )
    assert len(days) == 16
    assert {day.strftime("%a") for day in days} == {"Tue", "Thu"}
    assert days[0] == TUESDAY
    assert days[-1] == date(2030, 4, 25)


def test_a_rule_gives_the_same_days_and_may_end_by_until() -> None:
    by_rule = recurring_days(TUESDAY, rrule_text="FREQ=WEEKLY;BYDAY=TU,TH;COUNT=16")
    by_until = recurring_days(
        TUESDAY, until=date(2030, 4, 25), rrule_text="FREQ=WEEKLY;BYDAY=TU,TH"
    )
    by_days = recurring_days(TUESDAY, until=date(2030, 4, 25), weekdays=[Weekday.TUE, Weekday.THU])
    assert by_rule == by_until == by_days


@pytest.mark.parametrize(
    ("arguments", "kind"),
    [
        ({"weekdays": [Weekday.TUE]}, "recurrence_unbounded"),
        (
            {"until": TUESDAY + timedelta(days=400), "weekdays": [Weekday.TUE]},
            "recurrence_too_long",
        ),
        ({"until": TUESDAY - timedelta(days=1), "weekdays": [Weekday.TUE]}, "recurrence_backwards"),
        ({"until": TUESDAY + timedelta(days=30)}, "recurrence_missing"),
        ({"rrule_text": "FREQ=WEEKLY;BYDAY=TU"}, "rrule_unbounded"),
        ({"rrule_text": "FREQ=DAILY;COUNT=500"}, "recurrence_too_many"),
        ({"rrule_text": "FREQ=WEEKLY;BYDAY=TU;UNTIL=20320101"}, "recurrence_too_long"),
        ({"rrule_text": "FREQ=WEEKLY;BYDAY=XX;COUNT=3"}, "rrule_unparsable"),
        ({"rrule_text": "FREQ=SOMETIMES;COUNT=3"}, "rrule_unsupported"),
        # Rules dateutil would walk towards the year 9999 for, minutes of CPU (never matching):
        (
            {"rrule_text": "FREQ=SECONDLY;COUNT=1;BYMONTH=2;BYMONTHDAY=30;BYHOUR=1"},
            "rrule_unsupported",
        ),
        ({"rrule_text": "FREQ=DAILY;COUNT=1;BYMONTH=2;BYMONTHDAY=30"}, "rrule_unsupported"),
        ({"rrule_text": "FREQ=MONTHLY;BYDAY=53MO;COUNT=1"}, "rrule_unparsable"),
        ({"rrule_text": "nonsense"}, "rrule_unparsable"),
        ({"rrule_text": "DTSTART=20300101;FREQ=DAILY;COUNT=3"}, "rrule_dtstart"),
        ({"rrule_text": "FREQ=DAILY;COUNT=3", "until": TUESDAY}, "recurrence_twice"),
        ({"rrule_text": "FREQ=DAILY;COUNT=3", "weekdays": [Weekday.TUE]}, "recurrence_twice"),
    ],
)
def test_unbounded_and_absurd_recurrences_are_refused(arguments: dict, kind: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(RecurrenceError) as refused:
        recurring_days(TUESDAY, **arguments)
    assert refused.value.problem.type == kind


def test_sessions_keep_their_wall_clock_time_across_the_change_to_summer_time() -> None:
    first = datetime.combine(date(2030, 3, 19), time(10), tzinfo=BERLIN)  # before 31 March
    starts = rule_starts("FREQ=WEEKLY;COUNT=4", first, BERLIN)
    assert [start.astimezone(BERLIN).time() for start in starts] == [time(10)] * 4
    assert {start.utcoffset() for start in starts} == {timedelta(hours=1), timedelta(hours=2)}


@given(
    start=st.dates(min_value=date(2025, 1, 1), max_value=date(2035, 12, 31)),
    length=st.integers(min_value=0, max_value=365),
    weekdays=st.sets(st.sampled_from(list(Weekday)), min_size=1),
)
def test_series_days_are_on_the_weekdays_within_the_period(
    start: date, length: int, weekdays: set[Weekday]
) -> None:
    until = start + timedelta(days=length)
    numbers = {list(Weekday).index(day) for day in weekdays}  # Monday is 0, as date.weekday()
    every = [start + timedelta(days=n) for n in range(length + 1)]
    expected = [day for day in every if day.weekday() in numbers]
    if not expected or len(expected) > MOST_OCCURRENCES:
        with pytest.raises(RecurrenceError):
            recurring_days(start, until=until, weekdays=sorted(weekdays))
        return
    assert recurring_days(start, until=until, weekdays=sorted(weekdays)) == expected
