"""The base of intake's tables and how enum columns are stored."""

from enum import StrEnum

import sqlalchemy as sa
from sqlalchemy.orm import registry
from sqlmodel import SQLModel


class IntakeTable(SQLModel, registry=registry()):
    """Intake's own SQLAlchemy registry and MetaData, not SQLModel's global ones.

    Every service's models end up in one process when the whole workspace is tested, and
    other services have tables of the same names (notifications has `cases`, for one): in
    the shared global MetaData they would collide at import time.
    """


def _values(enum: type[StrEnum]) -> list[str]:
    return [member.value for member in enum]


def enum_type(enum: type[StrEnum]) -> sa.Enum:
    """A VARCHAR holding the member's value. Not a PostgreSQL ENUM and no CHECK constraint:
    a new member (a need type, a state) needs no migration; the API validates input."""
    return sa.Enum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=_values,
    )
