"""The outbox and inbox tables. Every service's migrations create both in its own database."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Column, DateTime, Index, Text, func, text
from sqlalchemy.dialects.postgresql import JSONB
from sqlmodel import Field, SQLModel


class OutboxMessage(SQLModel, table=True):
    """An event written in the same transaction as the change it reports, not yet published
    while `published_at` is null. `id` order is publishing order."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index(
            "ix_outbox_unpublished",
            "id",
            postgresql_where=text("published_at IS NULL"),
        ),
        # The retention pruner's search: the oldest published rows (cq_shared.retention).
        Index(
            "ix_outbox_published_at",
            "published_at",
            postgresql_where=text("published_at IS NOT NULL"),
        ),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    event_id: uuid.UUID
    topic: str
    message_key: str
    event_type: str
    source: str
    subject: str
    site: str
    occurred_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    data: dict[str, Any] = Field(sa_column=Column(JSONB, nullable=False))
    traceparent: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # clock_timestamp(), not now(): the time of the insert, not of the transaction's start,
    # so commit-to-publish latency is measured honestly.
    created_at: datetime | None = Field(
        default=None,
        sa_column=Column(
            DateTime(timezone=True), nullable=False, server_default=func.clock_timestamp()
        ),
    )
    published_at: datetime | None = Field(
        default=None, sa_column=Column(DateTime(timezone=True), nullable=True)
    )


class InboxEntry(SQLModel, table=True):
    """An event this consumer has already applied; the key makes a redelivery a no-op."""

    __tablename__ = "inbox"
    __table_args__ = (
        # The retention pruner's search: the oldest rows (cq_shared.retention).
        Index("ix_inbox_processed_at", "processed_at"),
    )

    consumer: str = Field(primary_key=True)
    source: str = Field(primary_key=True)
    event_id: str = Field(primary_key=True)
    event_type: str
    processed_at: datetime | None = Field(
        default=None,
        sa_column=Column(DateTime(timezone=True), nullable=False, server_default=func.now()),
    )
