"""Durable timers (cq_shared.timers): the kernel's `timers` table.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

from cq_shared.db.migration_ops import create_timers_table, drop_timers_table

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_timers_table()


def downgrade() -> None:
    drop_timers_table()
