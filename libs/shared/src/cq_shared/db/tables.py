"""The SQLAlchemy Core table behind a SQLModel class, for set-wise statements."""

from typing import cast

from sqlalchemy import Table
from sqlmodel import SQLModel


def table_of(model: type[SQLModel]) -> Table:
    """`Model.__table__`, typed: SQLModel sets it on table classes, but its stubs do not say so
    (the one place that needs the cast and the type-ignore)."""
    return cast(Table, model.__table__)  # type: ignore[attr-defined]
