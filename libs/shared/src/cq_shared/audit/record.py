"""Writing the trail, inside the caller's transaction: no access without its audit row.

One plain statement per access, however many cases it touched (decision 0008: this runs on
every request that shows or changes health data, `POST /v1/requests` among them). The SQL
text is the same for one row or two hundred, so PostgreSQL and asyncpg keep one prepared
statement.
"""

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from opentelemetry import trace
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from cq_shared.audit.table import AuditAction
from cq_shared.auth.principal import ALL_SITES, Principal

_INSERT = text(
    """
    INSERT INTO audit_events
        (occurred_at, actor, roles, site, action, resource, case_id, purpose, trace_id)
    SELECT CAST(:at AS timestamptz), CAST(:actor AS text), CAST(:roles AS text[]), a.site,
           CAST(:action AS varchar), CAST(:resource AS text), a.case_id,
           CAST(:purpose AS text), CAST(:trace_id AS text)
    FROM unnest(CAST(:sites AS text[]), CAST(:case_ids AS uuid[])) AS a(site, case_id)
    """
)


@dataclass(frozen=True, slots=True)
class Access:
    """One audit row's object: the site of the data and its case (None: no case)."""

    site: str
    case_id: uuid.UUID | None = None


async def record_access(
    session: AsyncSession,
    who: Principal,
    *,
    action: AuditAction,
    resource: str,
    site: str,
    case_ids: Sequence[uuid.UUID] = (),
    purpose: str,
    at: datetime,
) -> None:
    """One row per case id (one without a case when there is none), all at `site`."""
    accesses = [Access(site, case_id) for case_id in case_ids] or [Access(site)]
    await record_accesses(
        session, who, action=action, resource=resource, accesses=accesses, purpose=purpose, at=at
    )


async def record_accesses(
    session: AsyncSession,
    who: Principal,
    *,
    action: AuditAction,
    resource: str,
    accesses: Sequence[Access],
    purpose: str,
    at: datetime,
) -> None:
    """One row per access, each with its own site (a list across sites); one statement."""
    if not accesses:
        return
    await session.execute(
        _INSERT,
        {
            "at": at,
            "actor": who.subject,
            "roles": sorted(who.roles),
            "action": action.value,
            "resource": resource,
            "purpose": purpose,
            "trace_id": _trace_id(),
            "sites": [access.site for access in accesses],
            "case_ids": [access.case_id for access in accesses],
        },
    )


def listed(
    items: Iterable[tuple[str, uuid.UUID | None]], *, who: Principal, site: str | None
) -> list[Access]:
    """The accesses of a list read: one per distinct (site, case) shown, in order; items
    without a case are no health data and leave none. A list that showed no case leaves one
    row without a case for the scope asked: `site`, else each of the caller's sites ("*" for
    every site)."""
    seen: dict[tuple[str, uuid.UUID], None] = {}
    for item_site, case_id in items:
        if case_id is not None:
            seen.setdefault((item_site, case_id))
    if seen:
        return [Access(item_site, case_id) for item_site, case_id in seen]
    return [Access(scope_site) for scope_site in scope_of(who, site)]


def scope_of(who: Principal, site: str | None) -> list[str]:
    """The sites a search covers: `site`, else each of the caller's ("*" for every site)."""
    if site is not None:
        return [site]
    return [ALL_SITES] if who.has_all_sites else sorted(who.sites)


def _trace_id() -> str | None:
    context = trace.get_current_span().get_span_context()
    return format(context.trace_id, "032x") if context.is_valid else None
