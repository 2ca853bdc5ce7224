"""The `audit_events` table. Every service's migrations create it in its own database
(`cq_shared.db.migration_ops.create_audit_table`; intake reshaped its older one in place).

A row says who touched which case's health data, in what role, at which site, how, when and
why. It holds no health data itself: no names, no notes, no payloads, only ids and words from
fixed vocabularies. No foreign key to any case: the trail outlives the case's erasure
(decision 0013).
"""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column, Index, String, Text, Uuid
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

from cq_shared.db.columns import enum_column, utc_datetime_column


class AuditAction(StrEnum):
    """What was done with the data. Kept small: the resource and purpose say the rest."""

    CREATE = "create"  # new health data stored (a case, a manual booking)
    READ = "read"  # one record shown in full (a case, a match, the audit trail itself)
    LIST = "list"  # records shown in a list (one row per case listed)
    UPDATE = "update"  # a record changed (a booking cancelled, a match answered)
    ERASE = "erase"  # health data erased (consent withdrawn)


class AuditEvent(SQLModel, table=True):
    __tablename__ = "audit_events"
    __table_args__ = (
        # The data protection officer's searches: one case's trail, or a period's.
        Index("ix_audit_events_case_id", "case_id"),
        Index("ix_audit_events_occurred_at", "occurred_at"),
    )

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    occurred_at: datetime = Field(sa_column=utc_datetime_column())
    # The token subject: a pseudonymous id, never a name.
    actor: str = Field(sa_column=Column(String, nullable=False))
    # The roles the caller's token carried, sorted.
    roles: list[str] = Field(sa_column=Column(ARRAY(Text), nullable=False))
    # The site of the data touched; "*" for an empty list read across every site.
    site: str = Field(sa_column=Column(String, nullable=False))
    action: AuditAction = Field(sa_column=enum_column(AuditAction))
    # What kind of record: "case", "booking", "match", "delivery", "audit".
    resource: str = Field(sa_column=Column(String, nullable=False))
    # None for a list read that showed no case.
    case_id: uuid.UUID | None = Field(default=None, sa_column=Column(Uuid, nullable=True))
    # Why: a short machine word fixed per endpoint ("case_work", "care_planning", ...).
    purpose: str = Field(sa_column=Column(String, nullable=False))
    # The request's OpenTelemetry trace id (hex), to find its spans and logs; None outside one.
    trace_id: str | None = Field(default=None, sa_column=Column(String, nullable=True))
