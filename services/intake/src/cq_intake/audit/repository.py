"""Writing the trail, inside the caller's transaction: no access without its audit row."""

import uuid
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_intake.audit.models import AuditAction, AuditEvent


def record(
    session: AsyncSession,
    *,
    actor: str,
    action: AuditAction,
    case_id: uuid.UUID,
    site: str,
    at: datetime,
) -> None:
    session.add(AuditEvent(occurred_at=at, actor=actor, action=action, case_id=case_id, site=site))
