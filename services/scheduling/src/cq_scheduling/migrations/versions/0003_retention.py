"""Revision 0003 after 0002: scheduling gets the indexes the retention pruner searches by
(cq_shared.retention; built concurrently, see create_retention_indexes)."""

from cq_shared.db.migration_ops import create_retention_indexes as upgrade
from cq_shared.db.migration_ops import drop_retention_indexes as downgrade

revision: str = "0003"
down_revision: str = "0002"
__all__ = ["downgrade", "upgrade"]
