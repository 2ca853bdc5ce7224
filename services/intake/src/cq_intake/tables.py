"""The base of intake's tables (column types: `cq_shared.db.columns`)."""

from sqlalchemy.orm import registry
from sqlmodel import SQLModel


class IntakeTable(SQLModel, registry=registry()):
    """Intake's own SQLAlchemy registry and MetaData, not SQLModel's global ones.

    Every service's models end up in one process when the whole workspace is tested, and
    other services have tables of the same names (notifications has `cases`, for one): in
    the shared global MetaData they would collide at import time.
    """
