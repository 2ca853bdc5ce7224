"""Revision 0005 after 0004: courses and the one waiting list (issue 9, decision 0018).

`capacity_pools` (anything with a fixed number of places people queue for; a course now)
and its `waitlist_entries` with the constraints that keep a pool from ever holding more
places than its capacity; `courses` and their `course_sessions`. Written by hand.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_STATUSES = "'confirmed', 'waitlisted', 'offered', 'cancelled', 'declined', 'expired'"


def upgrade() -> None:
    _pools()
    _entries()
    _courses()


def _pools() -> None:
    op.create_table(
        "capacity_pools",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("promotion", sa.String(), nullable=False),
        sa.Column("hold_hours", sa.Integer(), nullable=True),
        sa.Column("last_arrival", sa.BigInteger(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("capacity >= 1", name="ck_capacity_pools_capacity"),
        sa.CheckConstraint(
            "promotion IN ('automatic', 'offer')", name="ck_capacity_pools_promotion"
        ),
        sa.CheckConstraint(
            "(promotion = 'offer') = (hold_hours IS NOT NULL)", name="ck_capacity_pools_hold"
        ),
        sa.CheckConstraint("hold_hours BETWEEN 1 AND 168", name="ck_capacity_pools_hold_hours"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("id", "capacity", name="uq_capacity_pools_id_capacity"),
    )
    op.create_index("ix_capacity_pools_site", "capacity_pools", ["site"])


def _entries() -> None:
    op.create_table(
        "waitlist_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("pool_id", sa.Uuid(), nullable=False),
        sa.Column("pool_capacity", sa.Integer(), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("need_id", sa.Uuid(), nullable=True),
        sa.Column("arrival", sa.BigInteger(), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("seat", sa.Integer(), nullable=True),
        sa.Column("offer_expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["pool_id", "pool_capacity"],
            ["capacity_pools.id", "capacity_pools.capacity"],
            name="fk_waitlist_entries_pool",
            onupdate="CASCADE",
        ),
        sa.CheckConstraint(f"status IN ({_STATUSES})", name="ck_waitlist_entries_status"),
        sa.CheckConstraint(
            "(status IN ('confirmed', 'offered')) = (seat IS NOT NULL)",
            name="ck_waitlist_entries_seat_held",
        ),
        sa.CheckConstraint("seat BETWEEN 1 AND pool_capacity", name="ck_waitlist_entries_seat"),
        sa.CheckConstraint(
            "(status = 'offered') = (offer_expires_at IS NOT NULL)",
            name="ck_waitlist_entries_offer",
        ),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("pool_id", "seat", name="uq_waitlist_entries_seat"),
        sa.UniqueConstraint("pool_id", "arrival", name="uq_waitlist_entries_arrival"),
    )
    op.create_index("ix_waitlist_entries_case_id", "waitlist_entries", ["case_id"])
    op.create_index(
        "uq_waitlist_entries_live_case",
        "waitlist_entries",
        ["pool_id", "case_id"],
        unique=True,
        postgresql_where=sa.text("status IN ('confirmed', 'offered', 'waitlisted')"),
    )
    op.create_index(
        "ix_waitlist_entries_queue",
        "waitlist_entries",
        ["pool_id", "arrival"],
        postgresql_where=sa.text("status = 'waitlisted'"),
    )


def _courses() -> None:
    op.create_table(
        "courses",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("title", sa.String(), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("rrule", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["id"], ["capacity_pools.id"], name="fk_courses_pool"),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_courses_site", "courses", ["site"])
    op.create_table(
        "course_sessions",
        sa.Column("course_id", sa.Uuid(), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["course_id"], ["courses.id"], name="fk_course_sessions_course"),
        sa.CheckConstraint("ends_at > starts_at", name="ck_course_sessions_period"),
        sa.PrimaryKeyConstraint("course_id", "starts_at"),
    )


def downgrade() -> None:
    op.drop_table("course_sessions")
    op.drop_index("ix_courses_site", table_name="courses")
    op.drop_table("courses")
    op.drop_index("ix_waitlist_entries_queue", table_name="waitlist_entries")
    op.drop_index("uq_waitlist_entries_live_case", table_name="waitlist_entries")
    op.drop_index("ix_waitlist_entries_case_id", table_name="waitlist_entries")
    op.drop_table("waitlist_entries")
    op.drop_index("ix_capacity_pools_site", table_name="capacity_pools")
    op.drop_table("capacity_pools")
