"""The `timers` table. Every service's migrations create it in its own database
(`cq_shared.db.migration_ops.create_timers_table`)."""

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Index, Integer, String, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel


class TimerRow(SQLModel, table=True):
    """A timer that has not fired yet (or that failed for good, `failed_at` set). A fired
    timer's row is deleted in the transaction that applied its effect."""

    __tablename__ = "timers"
    __table_args__ = (
        # The runner's only search: the earliest due timers that have not failed.
        Index("ix_timers_due", "at", postgresql_where=text("failed_at IS NULL")),
        # The retention pruner's search: timers that failed long ago (cq_shared.retention).
        Index("ix_timers_failed_at", "failed_at", postgresql_where=text("failed_at IS NOT NULL")),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    # Chosen by the caller (e.g. "hold-expiry:<booking id>"): scheduling the same key again
    # reschedules the timer, and the key cancels it.
    key: str = Field(sa_column=Column(String, nullable=False, unique=True))
    kind: str = Field(sa_column=Column(String, nullable=False))
    site: str = Field(sa_column=Column(String, nullable=False))
    at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    # Ids only, never personal data: erasure must not have to search timers.
    payload: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    # The number of the next attempt: 1 until the handler has failed once.
    attempt: int = Field(
        default=1, sa_column=Column(Integer, nullable=False, server_default=text("1"))
    )
    created_at: datetime | None = Field(
        default=None,
        sa_column=Column(
            DateTime(timezone=True), nullable=False, server_default=func.clock_timestamp()
        ),
    )
    failed_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )
