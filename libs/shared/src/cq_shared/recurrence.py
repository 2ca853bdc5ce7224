"""Recurrences, expanded by python-dateutil, never by hand-written date loops: a course's
sessions from an RFC 5545 rule, and the days of a recurring need (a day guest every Tuesday
and Thursday, given as weekdays and an end date or as a rule).

Rules run in the site's wall-clock time: DTSTART is the first occurrence as the site's clock
shows it, so "every Tuesday at 10:00" stays at 10:00 across the change to summer time. UNTIL
is read the same way (a date, or a local date-time without `Z`).

Every recurrence must end (COUNT or UNTIL, or an `until` date) and stay within a year and
MOST_OCCURRENCES occurrences: anything longer is a typo (COUNT=2000, UNTIL a year too far),
not a plan. A refusal is a `RecurrenceError` whose `problem` names the field and says why.
"""

import re
from collections.abc import Sequence
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import FR, MO, SA, SU, TH, TU, WE, WEEKLY, rrule, rrulestr, weekday

from cq_shared.errors import FieldError

MOST_OCCURRENCES = 200
LONGEST_SPAN = timedelta(days=366)

_RRULE_PREFIX = "RRULE:"
# What a care plan needs (every Tuesday, every other week, the first Monday of the month),
# and nothing more: dateutil walks day by day, second by second for SECONDLY, towards the
# year 9999 looking for occurrences of a rule that never matches (BYMONTH=2;BYMONTHDAY=30),
# ignoring UNTIL on the days it filters out. With these parts every period has occurrences:
# a week has each weekday, and a month has a 1st to 4th of each weekday (a 5th may be
# missing for some months, never for all).
FREQUENCIES = frozenset({"DAILY", "WEEKLY", "MONTHLY"})
RULE_PARTS = frozenset({"FREQ", "INTERVAL", "COUNT", "UNTIL", "BYDAY", "WKST"})
_BYDAY = re.compile(r"([+-]?[1-5])?(MO|TU|WE|TH|FR|SA|SU)")


class Weekday(StrEnum):
    """A day of the week, Monday first (as `date.weekday()` counts): a series' days, the days
    a volunteer can help on."""

    MON = "mon"
    TUE = "tue"
    WED = "wed"
    THU = "thu"
    FRI = "fri"
    SAT = "sat"
    SUN = "sun"

    @classmethod
    def of(cls, day: date) -> "Weekday":
        return list(cls)[day.weekday()]


_DATEUTIL_DAYS: dict[Weekday, weekday] = {
    Weekday.MON: MO,
    Weekday.TUE: TU,
    Weekday.WED: WE,
    Weekday.THU: TH,
    Weekday.FRI: FR,
    Weekday.SAT: SA,
    Weekday.SUN: SU,
}


class RecurrenceError(ValueError):
    """The recurrence cannot be used; `problem` says why, for the caller."""

    def __init__(self, problem: FieldError) -> None:
        super().__init__(problem.msg)
        self.problem = problem


def _refuse(field: str, msg: str, kind: str) -> RecurrenceError:
    return RecurrenceError(FieldError.in_body(field, msg=msg, type=kind))


def _rule_text(rule: str, field: str) -> str:
    """The rule without an `RRULE:` prefix; refused without an end or with its own DTSTART."""
    text = rule.strip()
    if text.upper().startswith(_RRULE_PREFIX):
        text = text[len(_RRULE_PREFIX) :]
    parts: dict[str, str] = {}
    for part in text.split(";"):
        name, separator, value = part.partition("=")
        if not separator or not name.strip() or not value.strip():
            raise _refuse(field, "The rule is not an RFC 5545 RRULE.", "rrule_unparsable")
        parts[name.strip().upper()] = value.strip()
    if "DTSTART" in parts:
        raise _refuse(field, "The rule may not carry DTSTART: give the start.", "rrule_dtstart")
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise _refuse(field, "The rule has no end: give COUNT or UNTIL.", "rrule_unbounded")
    if parts.get("FREQ") not in FREQUENCIES or not set(parts) <= RULE_PARTS:
        raise _refuse(
            field,
            "Only DAILY, WEEKLY or MONTHLY rules with INTERVAL, BYDAY, COUNT, UNTIL and WKST "
            "are taken.",
            "rrule_unsupported",
        )
    if "BYDAY" in parts and not all(_BYDAY.fullmatch(day) for day in parts["BYDAY"].split(",")):
        raise _refuse(field, "BYDAY names an unknown day.", "rrule_unparsable")
    return text


def _expand(rule: str, first: datetime, field: str) -> list[datetime]:
    try:
        # dateutil is untyped; what it yields is checked below. One more than allowed is
        # enough to know a rule gives too many.
        occurrences: Sequence[object] = list(
            islice(rrulestr(rule, dtstart=first), MOST_OCCURRENCES + 1)
        )
    except (ValueError, TypeError, KeyError, OverflowError, IndexError):
        # e.g. BYDAY=XX, FREQ=SOMETIMES, COUNT=many: dateutil's message may repeat the
        # value; the caller gets ours.
        raise _refuse(
            field,
            "The rule is not an RFC 5545 RRULE (or names an unknown day or frequency).",
            "rrule_unparsable",
        ) from None
    found = [item for item in occurrences if isinstance(item, datetime)]
    if len(found) != len(occurrences):
        raise _refuse(field, "The rule gives no date-times.", "rrule_unparsable")
    return found


def _within_limits(occurrences: list[datetime], field: str) -> None:
    if not occurrences:
        raise _refuse(field, "The recurrence gives no occurrence.", "recurrence_empty")
    if len(occurrences) > MOST_OCCURRENCES:
        raise _refuse(field, f"More than {MOST_OCCURRENCES} occurrences.", "recurrence_too_many")
    if occurrences[-1] - occurrences[0] > LONGEST_SPAN:
        raise _refuse(field, "The occurrences span more than a year.", "recurrence_too_long")


def rule_starts(
    rule: str, first_start: datetime, zone: ZoneInfo, *, field: str = "rrule"
) -> list[datetime]:
    """The starts of a rule's occurrences (a course's sessions), aware in the site's zone,
    from `first_start` on."""
    local_start = first_start.astimezone(zone).replace(tzinfo=None)
    occurrences = _expand(_rule_text(rule, field), local_start, field)
    _within_limits(occurrences, field)
    return [item.replace(tzinfo=zone) for item in occurrences]


def recurring_days(
    start: date,
    *,
    until: date | None = None,
    weekdays: Sequence[Weekday] | None = None,
    rrule_text: str | None = None,
) -> list[date]:
    """The days of a recurring need from `start`: on `weekdays` up to `until` (inclusive), or
    by a rule (`rrule_text`, which may end by COUNT or UNTIL, or by `until`)."""
    first = datetime.combine(start, time())
    if rrule_text is not None:
        if weekdays:
            raise _refuse("weekdays", "Give weekdays or a rule, not both.", "recurrence_twice")
        ends = any(f";{name}=" in f";{rrule_text.upper()}" for name in ("COUNT", "UNTIL"))
        if until is not None and ends:
            raise _refuse("until", "Give the end in the rule or as until.", "recurrence_twice")
        text = _rule_text(rrule_text + (f";UNTIL={until:%Y%m%d}" if until else ""), "rrule")
        occurrences = _expand(text, first, "rrule")
        field = "rrule"
    else:
        if not weekdays:
            raise _refuse("weekdays", "Give the weekdays of the series.", "recurrence_missing")
        if until is None:
            raise _refuse("until", "The series has no end: give until.", "recurrence_unbounded")
        if until < start:
            raise _refuse("until", "until is before start.", "recurrence_backwards")
        if until - start > LONGEST_SPAN:
            raise _refuse("until", "The series spans more than a year.", "recurrence_too_long")
        days = sorted({_DATEUTIL_DAYS[Weekday(day)] for day in weekdays}, key=lambda d: d.weekday)
        until_end = datetime.combine(until, time())
        occurrences = list(
            islice(
                rrule(WEEKLY, dtstart=first, until=until_end, byweekday=days),
                MOST_OCCURRENCES + 1,
            )
        )
        field = "weekdays"
    _within_limits(occurrences, field)
    return [item.date() for item in occurrences]
