"""The audit API's response model: the row as stored (it holds no health data)."""

import uuid

from pydantic import AwareDatetime, BaseModel, ConfigDict

from cq_shared.audit.table import AuditAction


class AuditRecord(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    occurred_at: AwareDatetime
    actor: str
    roles: list[str]
    site: str
    action: AuditAction
    resource: str
    case_id: uuid.UUID | None
    purpose: str
    trace_id: str | None
