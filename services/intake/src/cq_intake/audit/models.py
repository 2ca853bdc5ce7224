"""Audit rows. No foreign key to the case: the trail must outlive the case's erasure."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import BigInteger, Column
from sqlmodel import Field

from cq_intake.tables import IntakeTable
from cq_shared.db.columns import enum_column, utc_datetime_column


class AuditAction(StrEnum):
    CREATE = "create"
    READ = "read"


class AuditEvent(IntakeTable, table=True):
    __tablename__ = "audit_events"

    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    occurred_at: datetime = Field(sa_column=utc_datetime_column())
    actor: str  # the token subject; a pseudonymous id, not a name
    action: AuditAction = Field(sa_column=enum_column(AuditAction))
    case_id: uuid.UUID = Field(index=True)
    site: str
