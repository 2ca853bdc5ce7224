"""Revision 0004 after 0003: intake's own `audit_events` (actor, action, case_id, site)
becomes the kernel's (cq_shared.audit; decision 0013), in place, keeping its rows.

Rows written before this revision were all intake's case accesses for case work (created on
POST /v1/requests, read on GET /v1/cases/{id}): they get resource "case" and purpose
"case_work"; the roles their tokens carried were not recorded and stay an empty list. The
columns are added with those values as server defaults (a fast, metadata-only change in
PostgreSQL, no table rewrite) and the defaults dropped again: new rows name their own.
`case_id` becomes nullable (a list read that showed no case has none); the index on it stays.
"""

from typing import Any

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0004"
down_revision: str = "0003"

TABLE = "audit_events"
BACKFILLED: dict[str, tuple[sa.types.TypeEngine[Any], sa.TextClause]] = {
    "roles": (postgresql.ARRAY(sa.Text()), sa.text("'{}'::text[]")),
    "resource": (sa.String(), sa.text("'case'")),
    "purpose": (sa.String(), sa.text("'case_work'")),
}


def upgrade() -> None:
    for name, (type_, default) in BACKFILLED.items():
        op.add_column(TABLE, sa.Column(name, type_, nullable=False, server_default=default))
        op.alter_column(TABLE, name, server_default=None)
    op.add_column(TABLE, sa.Column("trace_id", sa.String(), nullable=True))
    op.alter_column(TABLE, "case_id", existing_type=sa.Uuid(), nullable=True)
    op.create_index("ix_audit_events_occurred_at", TABLE, ["occurred_at"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_occurred_at", table_name=TABLE)
    # The old shape has no room for rows without a case, nor for other resources' rows.
    op.execute(sa.text("DELETE FROM audit_events WHERE case_id IS NULL OR resource <> 'case'"))
    op.alter_column(TABLE, "case_id", existing_type=sa.Uuid(), nullable=False)
    op.drop_column(TABLE, "trace_id")
    for name in reversed(BACKFILLED):
        op.drop_column(TABLE, name)
