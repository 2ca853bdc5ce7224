"""Revision 0004 after 0003: notifications gets the indexes the retention pruner searches by
(cq_shared.retention; built concurrently, see create_retention_indexes)."""

from cq_shared.db.migration_ops import create_retention_indexes as upgrade
from cq_shared.db.migration_ops import drop_retention_indexes as downgrade

revision: str = "0004"
down_revision: str = "0003"
__all__ = ["downgrade", "upgrade"]
