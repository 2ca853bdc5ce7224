"""Reading the trail, for a data protection officer; the reading is audited too."""

import uuid
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from cq_shared.audit.purposes import Purpose
from cq_shared.audit.record import Access, record_accesses, scope_of
from cq_shared.audit.schemas import AuditRecord
from cq_shared.audit.table import AuditAction, AuditEvent
from cq_shared.auth.principal import Principal
from cq_shared.db.tables import table_of
from cq_shared.errors import FieldError, InvalidError

AUDIT_RESOURCE = "audit"


async def search(
    session: AsyncSession,
    who: Principal,
    *,
    case_id: uuid.UUID | None,
    site: str | None,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    now: datetime,
) -> list[AuditRecord]:
    """Rows newest first, of `site` or of every site the caller holds (a DPO of one site
    sees that site's rows only; asking for another site is a 403). The time window is
    `since` <= occurred_at < `until`."""
    if since is not None and until is not None and until <= since:
        error = FieldError(loc=("query", "to"), msg="to must be after from", type="range")
        raise InvalidError(errors=[error])
    if site is not None:
        who.require_site(site)
    table = table_of(AuditEvent)
    query = select(table).order_by(table.c.occurred_at.desc(), table.c.id.desc()).limit(limit)
    if site is not None:
        query = query.where(table.c.site == site)
    elif not who.has_all_sites:
        query = query.where(table.c.site.in_(sorted(who.sites)))
    if case_id is not None:
        query = query.where(table.c.case_id == case_id)
    if since is not None:
        query = query.where(table.c.occurred_at >= since)
    if until is not None:
        query = query.where(table.c.occurred_at < until)
    found = [AuditRecord.model_validate(row) for row in (await session.execute(query)).mappings()]
    # Reading the trail is an access too, recorded for the scope asked (after the search, so
    # that this read is not among its own results).
    await record_accesses(
        session,
        who,
        action=AuditAction.READ,
        resource=AUDIT_RESOURCE,
        accesses=[Access(scope_site, case_id) for scope_site in scope_of(who, site)],
        purpose=Purpose.DATA_PROTECTION_REVIEW,
        at=now,
    )
    return found
