"""Revision 0008 after 0007: a site's priority for its waiting lists (issue 9).

- `waitlist_entries.rank`: the priority rank an entry got on arrival (0 unless its site
  orders by urgency); the queue's index becomes (pool, rank, arrival) for waiting entries.
- `waitlist_priorities`: a site's rule, `arrival` or `urgency` (site data).
Existing entries get rank 0: the queues keep their order. Written by hand (decision 0018).

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-09
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WAITING = sa.text("status = 'waitlisted'")


def _queue_index(*columns: str) -> None:
    op.drop_index("ix_waitlist_entries_queue", table_name="waitlist_entries")
    op.create_index(
        "ix_waitlist_entries_queue", "waitlist_entries", list(columns), postgresql_where=_WAITING
    )


def upgrade() -> None:
    op.add_column(
        "waitlist_entries",
        sa.Column("rank", sa.SmallInteger(), server_default=sa.text("0"), nullable=False),
    )
    _queue_index("pool_id", "rank", "arrival")
    op.create_table(
        "waitlist_priorities",
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("priority", sa.String(), nullable=False),
        sa.CheckConstraint(
            "priority IN ('arrival', 'urgency')", name="ck_waitlist_priorities_priority"
        ),
        sa.PrimaryKeyConstraint("site"),
    )


def downgrade() -> None:
    op.drop_table("waitlist_priorities")
    _queue_index("pool_id", "arrival")
    op.drop_column("waitlist_entries", "rank")
