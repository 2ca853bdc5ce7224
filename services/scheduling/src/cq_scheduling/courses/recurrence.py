"""Course sessions from an RFC 5545 recurrence rule, expanded by python-dateutil.

The rule runs in the site's wall-clock time: DTSTART is the first session's start as the
site's clock shows it, so "every Tuesday at 10:00" stays at 10:00 across the change to
summer time. UNTIL is read the same way (a date, or a local date-time without `Z`)."""

from collections.abc import Sequence
from datetime import datetime, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

from dateutil.rrule import rrulestr

from cq_shared.errors import FieldError

# A course with more sessions than this, or running longer than this, is a typo in the rule
# (COUNT=2000, UNTIL a year too far), not a course.
MOST_SESSIONS = 200
LONGEST_COURSE = timedelta(days=366)

_RRULE_PREFIX = "RRULE:"


class RuleError(ValueError):
    """The rule cannot be used; `problem` says why, for the caller."""

    def __init__(self, problem: FieldError) -> None:
        super().__init__(problem.msg)
        self.problem = problem


def _refuse(msg: str, kind: str) -> RuleError:
    return RuleError(FieldError.in_body("rrule", msg=msg, type=kind))


def _parts(rule: str) -> dict[str, str]:
    parts: dict[str, str] = {}
    for part in rule.split(";"):
        name, separator, value = part.partition("=")
        if not separator or not name or not value:
            raise _refuse("The rule is not an RFC 5545 RRULE.", "rrule_unparsable")
        parts[name.strip().upper()] = value.strip()
    return parts


def session_starts(rule: str, first_start: datetime, zone: ZoneInfo) -> list[datetime]:
    """The starts of the rule's sessions, aware in the site's zone. RuleError if the rule
    cannot be read, has no end (COUNT or UNTIL), or runs past the limits."""
    text = rule.strip()
    if text.upper().startswith(_RRULE_PREFIX):
        text = text[len(_RRULE_PREFIX) :]
    parts = _parts(text)
    if "DTSTART" in parts:
        raise _refuse("Give the first session as first_session_start.", "rrule_dtstart")
    if "COUNT" not in parts and "UNTIL" not in parts:
        raise _refuse("The rule has no end: give COUNT or UNTIL.", "rrule_unbounded")
    local_start = first_start.astimezone(zone).replace(tzinfo=None)
    try:
        # dateutil is untyped; what it yields is checked below.
        occurrences: Sequence[object] = list(
            islice(rrulestr(text, dtstart=local_start), MOST_SESSIONS + 1)
        )
    except (ValueError, TypeError, KeyError, OverflowError, IndexError):
        # e.g. BYDAY=XX, FREQ=SOMETIMES, COUNT=many, UNTIL=tomorrow: dateutil says which,
        # but its message may repeat the value; the caller gets ours.
        raise _refuse(
            "The rule is not an RFC 5545 RRULE (or names an unknown day or frequency).",
            "rrule_unparsable",
        ) from None
    starts = [_aware(item, zone) for item in occurrences]
    if not starts:
        raise _refuse("The rule gives no session.", "rrule_empty")
    if len(starts) > MOST_SESSIONS:
        raise _refuse(f"More than {MOST_SESSIONS} sessions.", "rrule_too_many")
    if starts[-1] - starts[0] > LONGEST_COURSE:
        raise _refuse("The sessions span more than a year.", "rrule_too_long")
    return starts


def _aware(occurrence: object, zone: ZoneInfo) -> datetime:
    if not isinstance(occurrence, datetime):
        raise _refuse("The rule gives no date-times.", "rrule_unparsable")
    return occurrence.replace(tzinfo=zone)
