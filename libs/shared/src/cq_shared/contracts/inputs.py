"""Input types every service's API (and, where useful, event contracts) validate with.

Defined once, so a name is the same thing in intake, volunteering and scheduling. The rules
keep out what would reach PostgreSQL as an error (NUL), a printed letter as garbage (control
and escape sequences) or a screen as a lie (right-to-left overrides and zero-width characters
that make "Anna" and "An\u200bna" two people, or reverse what follows them). Each type is a
JSON Schema pattern or bound in the OpenAPI document, so clients and the fuzzer see the rule.
"""

from collections.abc import Hashable
from datetime import UTC, date, datetime, timedelta
from typing import Annotated, TypeVar

from pydantic import AfterValidator, AwareDatetime, EmailStr, StringConstraints
from pydantic_core import PydanticCustomError

# Characters no text we keep may contain, as a regular expression class that both Python's
# `re` and pydantic's Rust engine (and JSON Schema's ECMA dialect) read the same way:
# - C0 and C1 control characters (Unicode category Cc; NUL, ESC, DEL, NEL ...),
# - zero-width space, non-joiner and joiner, word joiner, byte order mark,
# - line and paragraph separators (a "line break" that is no newline),
# - bidirectional embeddings, overrides and isolates.
_INVISIBLE = r"\u200b-\u200d\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff"
_CONTROL = r"\x00-\x1f\x7f-\x9f"
# Free text may break lines and indent: tab, line feed and carriage return are allowed there.
_CONTROL_BUT_LAYOUT = r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"

LINE_PATTERN = rf"^[^{_CONTROL}{_INVISIBLE}]+$"
TEXT_PATTERN = rf"^[^{_CONTROL_BUT_LAYOUT}{_INVISIBLE}]*$"

MAX_NAME = 100
MAX_TEXT = 2000

# A person's given or family name, a place's name: one trimmed line of printable text.
Name = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True, min_length=1, max_length=MAX_NAME, pattern=LINE_PATTERN
    ),
]
# Free text (a note): lines and tabs allowed, nothing invisible or controlling.
FreeText = Annotated[str, StringConstraints(max_length=MAX_TEXT, pattern=TEXT_PATTERN)]
# An e-mail address. email-validator checks syntax, IDNA and length, and already refuses
# control, bidirectional and zero-width characters (its "unsafe characters"); the fuzz tests
# of this module hold it to that.
Email = EmailStr
# A telephone number as people write it: digits, spaces, ( ) / - and a leading +.
Phone = Annotated[
    str, StringConstraints(strip_whitespace=True, pattern=r"^\+?[0-9(][0-9 ()/-]{4,29}$")
]
# A German postal code (PLZ).
PostalCode = Annotated[str, StringConstraints(pattern=r"^[0-9]{5}$")]
# A site's id as the site catalogue and the tokens spell it.
SiteId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]

# No instant we are told about lies before this: the platform holds no older records.
EARLIEST_INSTANT = datetime(2000, 1, 1, tzinfo=UTC)
# Nor further ahead than this from now. A sanity bound, not a rule of the domain (a booking
# has its own, shorter horizon, checked against the service clock): it only keeps values
# whose conversion to UTC or arithmetic (start + 14 days) would overflow out of the service.
INSTANT_HORIZON = timedelta(days=10 * 366)


def _within_horizon(value: datetime) -> datetime:
    # Comparing aware datetimes subtracts offsets without building a UTC datetime, so this
    # check cannot overflow even for 0001-01-01T00:00:00+14:00 or 9999-12-31T23:00-02:00.
    if value < EARLIEST_INSTANT or value > datetime.now(UTC) + INSTANT_HORIZON:
        raise PydanticCustomError(
            "datetime_out_of_range",
            "Date-time must lie between 2000-01-01 and ten years from now.",
        )
    return value


# A point in time with its offset, between 2000 and ten years ahead (in UTC).
Instant = Annotated[AwareDatetime, AfterValidator(_within_horizon)]


def _day_within_horizon(value: date) -> date:
    if value < EARLIEST_INSTANT.date() or value > (datetime.now(UTC) + INSTANT_HORIZON).date():
        raise PydanticCustomError(
            "date_out_of_range", "Date must lie between 2000-01-01 and ten years from now."
        )
    return value


# A calendar day between 2000 and ten years ahead: the same sanity bound as Instant, so that
# a day's window (midnight to midnight, in a site's zone) never overflows (9999-12-31 did).
Day = Annotated[date, AfterValidator(_day_within_horizon)]

H = TypeVar("H", bound=Hashable)


def no_duplicates(values: list[H]) -> list[H]:
    """For `AfterValidator`: a list that names something twice is a mistake, not a wish."""
    if len(set(values)) != len(values):
        raise ValueError("contains duplicates")
    return values
