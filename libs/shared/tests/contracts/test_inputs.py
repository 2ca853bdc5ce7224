"""The kernel's input types, fuzzed: whatever text or instant a client sends, validation
either refuses it (a ValidationError, i.e. a 422) or yields a value the database and the
date arithmetic downstream can take. Never another exception (that would be a 500)."""

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

from cq_shared.contracts.inputs import (
    EARLIEST_INSTANT,
    INSTANT_HORIZON,
    MAX_NAME,
    MAX_TEXT,
    Email,
    FreeText,
    Instant,
    Name,
    Phone,
)

CONTROL = [chr(code) for code in [*range(0x00, 0x20), *range(0x7F, 0xA0)]]
BIDI = [chr(code) for code in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]
ZERO_WIDTH = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff"]
SEPARATORS = ["\u2028", "\u2029"]
FORBIDDEN_IN_TEXT = set(CONTROL + BIDI + ZERO_WIDTH + SEPARATORS) - {"\t", "\n", "\r"}
FORBIDDEN_IN_NAMES = FORBIDDEN_IN_TEXT | {"\t", "\n", "\r"}

# Ordinary letters (German, Turkish, Arabic, Cyrillic) mixed with everything forbidden.
NASTY = st.sampled_from(CONTROL + BIDI + ZERO_WIDTH + SEPARATORS + ["\x1b[31m", "\ud800"])
TEXTS = st.lists(
    st.one_of(st.text(min_size=1, max_size=8), NASTY, st.sampled_from(["Ö", "ğ", "ل", "Ж", " "])),
    max_size=30,
).map("".join)

# Offsets from the extremes: +14:00 (Kiribati) and -12:00 (Baker Island), and the minutes
# in between, on dates near year 1, 2000, now, 9999.
OFFSETS = st.integers(min_value=-12 * 60, max_value=14 * 60).map(
    lambda minutes: timezone(timedelta(minutes=minutes))
)
NAIVE = st.one_of(
    st.datetimes(min_value=datetime(1, 1, 1), max_value=datetime(1, 1, 3)),
    st.datetimes(min_value=datetime(1999, 12, 30), max_value=datetime(2000, 1, 2)),
    st.datetimes(min_value=datetime(2025, 1, 1), max_value=datetime(2045, 1, 1)),
    st.datetimes(min_value=datetime(9999, 12, 29), max_value=datetime(9999, 12, 31, 23, 59)),
    st.datetimes(),
)
INSTANTS = st.builds(lambda naive, tz: naive.replace(tzinfo=tz), NAIVE, OFFSETS)


class Person(BaseModel):
    given_name: Name
    note: FreeText | None = None
    email: Email | None = None
    phone: Phone | None = None


class Period(BaseModel):
    start: Instant


def _validate(model: type[BaseModel], data: dict[str, Any]) -> BaseModel | None:
    try:
        return model.model_validate(data)
    except ValidationError:
        return None


@settings(max_examples=400, deadline=None, database=None)
@given(TEXTS)
def test_a_name_is_refused_or_one_clean_line(text: str) -> None:
    person = _validate(Person, {"given_name": text})
    if person is not None:
        assert isinstance(person, Person)
        name = person.given_name
        assert 1 <= len(name) <= MAX_NAME
        assert not set(name) & FORBIDDEN_IN_NAMES
        assert name == name.strip()
        name.encode("utf-8")  # no lone surrogate: PostgreSQL could not store it


@settings(max_examples=400, deadline=None, database=None)
@given(TEXTS)
def test_free_text_is_refused_or_printable_with_line_breaks(text: str) -> None:
    person = _validate(Person, {"given_name": "Anna", "note": text})
    if person is not None:
        assert isinstance(person, Person)
        assert person.note is not None
        assert len(person.note) <= MAX_TEXT
        assert not set(person.note) & FORBIDDEN_IN_TEXT
        person.note.encode("utf-8")


@settings(max_examples=300, deadline=None, database=None)
@given(TEXTS, st.sampled_from(["anna@example.org", "@example.org", "anna@", "x@y.z"]))
def test_an_email_address_is_refused_or_clean(prefix: str, suffix: str) -> None:
    person = _validate(Person, {"given_name": "Anna", "email": prefix + suffix})
    if person is not None:
        assert isinstance(person, Person)
        assert person.email is not None
        assert not set(person.email) & FORBIDDEN_IN_NAMES
        person.email.encode("utf-8")


@settings(max_examples=300, deadline=None, database=None)
@given(TEXTS)
def test_a_phone_number_is_refused_or_digits(text: str) -> None:
    person = _validate(Person, {"given_name": "Anna", "phone": text})
    if person is not None:
        assert isinstance(person, Person)
        assert person.phone is not None
        assert set(person.phone) <= set("+0123456789 ()/-")


@settings(max_examples=600, deadline=None, database=None)
@given(INSTANTS)
def test_an_instant_is_refused_or_safe_to_convert_and_shift(value: datetime) -> None:
    for given_as in (value, value.isoformat()):
        period = _validate(Period, {"start": given_as})
        if period is None:
            continue
        assert isinstance(period, Period)
        in_utc = period.start.astimezone(UTC)  # what asyncpg does; must not overflow
        assert EARLIEST_INSTANT <= in_utc <= datetime.now(UTC) + INSTANT_HORIZON
        in_utc + timedelta(days=366)  # a window or a stay after it must not overflow either


@pytest.mark.parametrize(
    "value",
    [
        "0001-01-01T00:00:00+14:00",
        "0001-01-01T00:00:00-12:00",
        "9999-12-31T23:00:00-02:00",  # year 10000 in UTC
        "9999-12-31T00:00:00Z",
        "9999-01-01T00:00:00+01:00",
        "1999-12-31T23:59:59Z",
        "2030-03-10T12:00:00",  # no offset: ambiguous
    ],
)
def test_extreme_and_naive_instants_are_refused(value: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Instant).validate_python(value)


@pytest.mark.parametrize(
    "name",
    [
        "Hilde\x00",
        "\x1b[31mHilde\x1b[0m",
        "Hilde\u202egnurT",  # right-to-left override
        "Hil\u2067de",  # right-to-left isolate
        "Hil\u200bde",  # zero-width space
        "Hil\u200dde",  # zero-width joiner
        "\ufeffHilde",  # byte order mark
        "Hil\u2060de",  # word joiner
        "Hil\x85de",  # C1 next line
        "Hilde\nBecker",
        "   ",
        "x" * (MAX_NAME + 1),
    ],
)
def test_names_refuse_control_bidi_and_zero_width_characters(name: str) -> None:
    with pytest.raises(ValidationError):
        TypeAdapter(Name).validate_python(name)


def test_ordinary_names_pass() -> None:
    for name in ["Hildegard", "Ömer Yıldız", "Анна", "محمد", "Jean-Luc O'Neill", "Zoë"]:
        assert TypeAdapter(Name).validate_python(f"  {name} ") == name
