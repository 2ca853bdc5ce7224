"""Intake's first schema: cases with their client, contacts and needs, the audit trail, and
the shared outbox and inbox.

Revision ID: 0001
Revises:
Create Date: 2026-11-22

Generated with `alembic revision --autogenerate`, then tidied: SQLModel's AutoString and the
non-native enums are written as the VARCHARs they are (enum values are checked by the API,
not the database, so a new need type needs no migration).
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
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WORD = sa.String(length=32)  # an enum member's value


def upgrade() -> None:
    op.create_table(
        "cases",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("channel", WORD, nullable=False),
        sa.Column("urgency", WORD, nullable=False),
        sa.Column("status", WORD, nullable=False),
        sa.Column("consent_data_processing", sa.Boolean(), nullable=False),
        sa.Column("consent_notify_contacts", sa.Boolean(), nullable=False),
        sa.Column("consent_share_with_volunteers", sa.Boolean(), nullable=False),
        sa.Column("created_by", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_cases_site_created_at", "cases", ["site", "created_at"])

    op.create_table(
        "clients",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("given_name", sa.String(), nullable=False),
        sa.Column("family_name", sa.String(), nullable=False),
        sa.Column("birth_date", sa.Date(), nullable=False),
        sa.Column("postal_code", sa.String(), nullable=False),
        sa.Column("language", WORD, nullable=False),
        sa.Column("care_level", WORD, nullable=False),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("case_id"),
    )

    op.create_table(
        "contacts",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("relation", WORD, nullable=False),
        sa.Column("given_name", sa.String(), nullable=False),
        sa.Column("family_name", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("phone", sa.String(), nullable=True),
        sa.Column("language", WORD, nullable=False),
        sa.Column("notify", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_contacts_case_id", "contacts", ["case_id"])

    op.create_table(
        "needs",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("type", WORD, nullable=False),
        sa.Column("start", sa.Date(), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("state", WORD, nullable=False),
        sa.Column("details", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_needs_case_id", "needs", ["case_id"])

    # No foreign key to cases: the trail outlives a case's erasure.
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("action", WORD, nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_events_case_id", "audit_events", ["case_id"])

    create_outbox_table()
    create_inbox_table()


def downgrade() -> None:
    drop_inbox_table()
    drop_outbox_table()
    op.drop_index("ix_audit_events_case_id", table_name="audit_events")
    op.drop_table("audit_events")
    op.drop_index("ix_needs_case_id", table_name="needs")
    op.drop_table("needs")
    op.drop_index("ix_contacts_case_id", table_name="contacts")
    op.drop_table("contacts")
    op.drop_table("clients")
    op.drop_index("ix_cases_site_created_at", table_name="cases")
    op.drop_table("cases")
