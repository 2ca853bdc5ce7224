"""Revision 0003 after 0002: notifications gets the kernel's `timers` table (cq_shared.timers)."""

from cq_shared.db.migration_ops import create_timers_table as upgrade
from cq_shared.db.migration_ops import drop_timers_table as downgrade

revision: str = "0003"
down_revision: str = "0002"
__all__ = ["downgrade", "upgrade"]
