"""`GET /v1/audit`: the access trail of this service's health data, for a data protection
officer only. Every service includes `audit_router` in its ServiceSpec routers."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from cq_shared.audit import service
from cq_shared.audit.schemas import AuditRecord
from cq_shared.auth import Principal, Role, require_roles
from cq_shared.contracts.inputs import Instant, SiteId
from cq_shared.db import SessionDep
from cq_shared.http.problems import Problem
from cq_shared.service.dependencies import ContextDep

DataProtectionOfficer = Annotated[Principal, Depends(require_roles(Role.DATA_PROTECTION_OFFICER))]

audit_router = APIRouter(prefix="/v1", tags=["audit"])


@audit_router.get(
    "/audit",
    responses={status: {"model": Problem} for status in (401, 403, 422)},
    summary="Who read or changed health data: newest first (itself an audited read)",
)
async def read_audit_trail(
    *,
    who: DataProtectionOfficer,
    session: SessionDep,
    context: ContextDep,
    case_id: uuid.UUID | None = None,
    site: SiteId | None = None,
    since: Annotated[Instant | None, Query(alias="from")] = None,
    until: Annotated[Instant | None, Query(alias="to")] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[AuditRecord]:
    """Rows with `from` <= occurred_at < `to`, of `site` or of the caller's sites."""
    return await service.search(
        session,
        who,
        case_id=case_id,
        site=site,
        since=since,
        until=until,
        limit=limit,
        now=context.clock.now(),
    )
