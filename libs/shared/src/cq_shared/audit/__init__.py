"""The access trail of health data (GDPR Art. 9, decision 0013): every read and write of a
case's data leaves a row saying who, in which role, at which site, what, which case, when and
why, and no health data.

    from cq_shared.audit import AuditAction, Purpose, record_access

    await record_access(session, who, action=AuditAction.READ, resource="case",
                        site=case.site, case_ids=[case.id], purpose=Purpose.CASE_WORK, at=now)

`record_accesses` with `listed(...)` records a list read across sites in one statement.
`GET /v1/audit` is `cq_shared.audit.router.audit_router` (imported from there, not here:
the kernel's migrations import this package's table).
"""

from cq_shared.audit.purposes import Purpose
from cq_shared.audit.record import Access, listed, record_access, record_accesses
from cq_shared.audit.table import AuditAction, AuditEvent

__all__ = [
    "Access",
    "AuditAction",
    "AuditEvent",
    "Purpose",
    "listed",
    "record_access",
    "record_accesses",
]
