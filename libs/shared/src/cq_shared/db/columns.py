"""Column types every service's tables declare the same way (`Field(sa_column=...)`).

- Enums are VARCHARs holding the members' values, not PostgreSQL ENUM types and without a
  CHECK constraint: a new member (a language, a need type, a state) needs no migration; the
  API validates input.
- Instants are `timestamptz`: stored in UTC, read back aware.
- Documents are JSONB; lists of words are arrays.

Each helper returns a new Column (a Column belongs to one table). Changing what one of them
produces changes every service's DDL: each service's migration test compares its models
with its migrations and fails on drift.
"""

from datetime import datetime
from enum import StrEnum
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects.postgresql import ARRAY, JSONB

ENUM_LENGTH = 32


def _values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]


def enum_type(enum: type[StrEnum], *, length: int = ENUM_LENGTH) -> sa.Enum:
    """A VARCHAR(length) holding the member's value (see the module docstring)."""
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=_values,
    )


def enum_column(
    enum: type[StrEnum], *, length: int = ENUM_LENGTH, nullable: bool = False
) -> "sa.Column[Any]":
    return sa.Column(enum_type(enum, length=length), nullable=nullable)


def utc_datetime_column(*, nullable: bool = False) -> "sa.Column[datetime]":
    """A `timestamptz`: an aware datetime in, an aware datetime (UTC) out."""
    return sa.Column(sa.DateTime(timezone=True), nullable=nullable)


def jsonb_column(*, nullable: bool = False) -> "sa.Column[Any]":
    return sa.Column(JSONB, nullable=nullable)


def text_column(*, nullable: bool = False) -> "sa.Column[str]":
    """Unbounded TEXT (notes, rendered mail bodies)."""
    return sa.Column(sa.Text, nullable=nullable)


def array_column(
    item: type[sa.types.TypeEngine[Any]] = sa.Text, *, nullable: bool = False
) -> "sa.Column[Any]":
    """An array of `item` (TEXT[] by default), e.g. the languages someone speaks."""
    return sa.Column(ARRAY(item), nullable=nullable)
