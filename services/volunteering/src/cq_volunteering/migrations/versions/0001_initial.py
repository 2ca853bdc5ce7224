"""Volunteers, the needs volunteering works on, matches; and the shared outbox and inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-22
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

from cq_shared.db.migration_ops import (
    create_inbox_table,
    create_outbox_table,
    drop_inbox_table,
    drop_outbox_table,
)

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    create_inbox_table()
    op.create_table(
        "volunteer_needs",
        sa.Column("need_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("need_type", sa.String(), nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("client_language", sa.String(), nullable=False),
        sa.Column("client_postal_code", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("need_id"),
    )
    op.create_index(
        op.f("ix_volunteer_needs_case_id"), "volunteer_needs", ["case_id"], unique=False
    )
    create_outbox_table()
    op.create_table(
        "volunteers",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("given_name", sa.String(), nullable=False),
        sa.Column("family_name", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=False),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("languages", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("skills", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("postal_code", sa.String(), nullable=False),
        sa.Column("weekdays", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("max_load", sa.Integer(), nullable=False),
        sa.Column("certificate_of_conduct_expires_on", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("site", "email", name="uq_volunteers_site_email"),
    )
    op.create_index(op.f("ix_volunteers_site"), "volunteers", ["site"], unique=False)
    op.create_table(
        "matches",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("need_id", sa.Uuid(), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("need_type", sa.String(), nullable=False),
        sa.Column("volunteer_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["need_id"],
            ["volunteer_needs.need_id"],
        ),
        sa.ForeignKeyConstraint(
            ["volunteer_id"],
            ["volunteers.id"],
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("need_id", "volunteer_id", name="uq_matches_need_volunteer"),
    )
    op.create_index(op.f("ix_matches_case_id"), "matches", ["case_id"], unique=False)
    op.create_index(op.f("ix_matches_site"), "matches", ["site"], unique=False)
    op.create_index(op.f("ix_matches_volunteer_id"), "matches", ["volunteer_id"], unique=False)
    op.create_index(
        "uq_matches_active_need",
        "matches",
        ["need_id"],
        unique=True,
        postgresql_where=sa.text("status IN ('proposed', 'accepted')"),
    )


def downgrade() -> None:
    op.drop_index(
        "uq_matches_active_need",
        table_name="matches",
        postgresql_where=sa.text("status IN ('proposed', 'accepted')"),
    )
    op.drop_index(op.f("ix_matches_volunteer_id"), table_name="matches")
    op.drop_index(op.f("ix_matches_site"), table_name="matches")
    op.drop_index(op.f("ix_matches_case_id"), table_name="matches")
    op.drop_table("matches")
    op.drop_index(op.f("ix_volunteers_site"), table_name="volunteers")
    op.drop_table("volunteers")
    drop_outbox_table()
    op.drop_index(op.f("ix_volunteer_needs_case_id"), table_name="volunteer_needs")
    op.drop_table("volunteer_needs")
    drop_inbox_table()
