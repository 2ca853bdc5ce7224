"""Initial tables: inventory (resources, staff, counselling slots), bookings, outbox, inbox.

Generated with `alembic revision --autogenerate`, then tidied by hand: the btree_gist
extension (the exclusion constraint compares a uuid with `=` inside a GiST index) and SQLModel's
string type spelled as sa.String.

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
down_revision: str | Sequence[str] | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Trusted since PostgreSQL 13 (the database owner may create it); ships with the
    # embedded PostgreSQL and every standard distribution.
    op.execute("CREATE EXTENSION IF NOT EXISTS btree_gist")
    _messaging_tables()
    _inventory_tables()
    _bookings_table()


def _messaging_tables() -> None:
    create_inbox_table()
    create_outbox_table()


def _inventory_tables() -> None:
    op.create_table(
        "resources",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.CheckConstraint("capacity = 1", name="ck_resources_capacity_one"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_resources_site", "resources", ["site"])
    op.create_table(
        "staff",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("skills", postgresql.ARRAY(sa.String()), nullable=False),
        sa.Column("languages", postgresql.ARRAY(sa.String()), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_staff_site", "staff", ["site"])
    op.create_table(
        "counselling_slots",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("location", sa.String(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name="ck_counselling_slots_period"),
        sa.ForeignKeyConstraint(["staff_id"], ["staff.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("staff_id", "starts_at", name="uq_counselling_slots_staff_start"),
    )
    op.create_index(
        "ix_counselling_slots_free",
        "counselling_slots",
        ["starts_at"],
        postgresql_where=sa.text("status = 'free'"),
    )
    op.create_index("ix_counselling_slots_staff_id", "counselling_slots", ["staff_id"])


def _bookings_table() -> None:
    op.create_table(
        "bookings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("need_id", sa.Uuid(), nullable=True),
        sa.Column("resource_type", sa.String(), nullable=False),
        sa.Column("resource_id", sa.Uuid(), nullable=True),
        sa.Column("slot_id", sa.Uuid(), nullable=True),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        # No two confirmed bookings of one resource overlap, whatever races in: PostgreSQL
        # refuses the second insert (SQLSTATE 23P01). Half-open [start, end) ranges.
        postgresql.ExcludeConstraint(
            (sa.column("resource_id"), "="),
            (sa.text("tstzrange(starts_at, ends_at)"), "&&"),
            where=sa.text("status = 'confirmed'"),
            using="gist",
            name="ex_bookings_resource_period",
        ),
        sa.CheckConstraint(
            "(resource_id IS NULL) <> (slot_id IS NULL)", name="ck_bookings_resource_or_slot"
        ),
        sa.CheckConstraint("ends_at > starts_at", name="ck_bookings_period"),
        sa.ForeignKeyConstraint(["resource_id"], ["resources.id"]),
        sa.ForeignKeyConstraint(["slot_id"], ["counselling_slots.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_bookings_case_id", "bookings", ["case_id"])
    op.create_index("ix_bookings_need_id", "bookings", ["need_id"])
    op.create_index("ix_bookings_site", "bookings", ["site"])
    # A counselling slot is booked at most once (cancelled bookings do not count).
    op.create_index(
        "uq_bookings_slot_confirmed",
        "bookings",
        ["slot_id"],
        unique=True,
        postgresql_where=sa.text("status = 'confirmed'"),
    )


def downgrade() -> None:
    # The extension stays: dropping it could break other objects in the database.
    op.drop_table("bookings")
    op.drop_table("counselling_slots")
    op.drop_table("staff")
    op.drop_table("resources")
    drop_outbox_table()
    drop_inbox_table()
