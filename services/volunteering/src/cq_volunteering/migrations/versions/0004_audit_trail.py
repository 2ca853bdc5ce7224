"""Revision 0004 after 0003: volunteering gets the kernel's `audit_events` table
(cq_shared.audit, the access trail of health data; decision 0013)."""

from cq_shared.db.migration_ops import create_audit_table as upgrade
from cq_shared.db.migration_ops import drop_audit_table as downgrade

revision: str = "0004"
down_revision: str = "0003"
__all__ = ["downgrade", "upgrade"]
