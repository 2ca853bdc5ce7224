"""Column types shared by this service's tables."""

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, DateTime
from sqlalchemy import Enum as SAEnum


def string_enum(enum: type[StrEnum], *, length: int = 32) -> SAEnum:
    """An enum stored as VARCHAR holding the members' values. Not a PostgreSQL enum type: a new
    member (a language, a role) then needs no ALTER TYPE migration."""
    return SAEnum(
        enum,
        native_enum=False,
        create_constraint=False,
        length=length,
        values_callable=lambda members: [member.value for member in members],
    )


def timestamp(*, nullable: bool) -> Column[datetime]:
    return Column(DateTime(timezone=True), nullable=nullable)
