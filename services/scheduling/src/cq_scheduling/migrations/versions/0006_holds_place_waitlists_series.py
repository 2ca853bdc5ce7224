"""Revision 0006 after 0005: holds, waiting lists for places, recurring series (issue 9).

- `bookings`: statuses `held`, `released`, `expired` (a CHECK names every status) and
  `hold_expires_at` (set exactly while held); the exclusion constraint now also counts held
  bookings, so a held place cannot be booked twice either.
- `capacity_pools`: a place pool's `resource_type`.
- `waitlist_entries`: status `booked` (a place's entry that became a booking), the period
  asked for and the booking that holds (or held) the place.
- `waitlist_policies`: which resource types a site waitlists, and how it promotes.
- `booking_series`: the days of a recurring need.
Written by hand.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-02
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BOOKING_STATUSES = "'confirmed', 'cancelled', 'held', 'released', 'expired'"
_ENTRY_STATUSES = "'confirmed', 'waitlisted', 'offered', 'cancelled', 'declined', 'expired'"


def _exclusion(statuses: str) -> None:
    op.drop_constraint("ex_bookings_resource_period", "bookings")
    op.create_exclude_constraint(
        "ex_bookings_resource_period",
        "bookings",
        (sa.column("resource_id"), "="),
        (sa.func.tstzrange(sa.column("starts_at"), sa.column("ends_at")), "&&"),
        where=sa.text(f"status IN ({statuses})"),
        using="gist",
    )


def upgrade() -> None:
    op.add_column(
        "bookings", sa.Column("hold_expires_at", sa.DateTime(timezone=True), nullable=True)
    )
    op.create_check_constraint("ck_bookings_status", "bookings", f"status IN ({_BOOKING_STATUSES})")
    op.create_check_constraint(
        "ck_bookings_hold", "bookings", "(status = 'held') = (hold_expires_at IS NOT NULL)"
    )
    _exclusion("'confirmed', 'held'")

    op.add_column("capacity_pools", sa.Column("resource_type", sa.String(), nullable=True))
    op.drop_constraint("ck_waitlist_entries_status", "waitlist_entries")
    op.create_check_constraint(
        "ck_waitlist_entries_status",
        "waitlist_entries",
        f"status IN ({_ENTRY_STATUSES}, 'booked')",
    )
    for column in ("starts_at", "ends_at"):
        op.add_column(
            "waitlist_entries", sa.Column(column, sa.DateTime(timezone=True), nullable=True)
        )
    op.add_column("waitlist_entries", sa.Column("booking_id", sa.Uuid(), nullable=True))
    op.create_index("ix_waitlist_entries_booking_id", "waitlist_entries", ["booking_id"])

    op.create_table(
        "waitlist_policies",
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("resource_type", sa.String(), nullable=False),
        sa.Column("promotion", sa.String(), nullable=False),
        sa.Column("hold_hours", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "promotion IN ('automatic', 'offer')", name="ck_waitlist_policies_promotion"
        ),
        sa.CheckConstraint(
            "(promotion = 'offer') = (hold_hours IS NOT NULL)", name="ck_waitlist_policies_hold"
        ),
        sa.CheckConstraint("hold_hours BETWEEN 1 AND 168", name="ck_waitlist_policies_hold_hours"),
        sa.PrimaryKeyConstraint("site", "resource_type"),
    )
    op.create_table(
        "booking_series",
        sa.Column("need_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("resource_type", sa.String(), nullable=False),
        sa.Column("days", postgresql.ARRAY(sa.Date()), nullable=False),
        sa.Column("cancelled_from", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("need_id"),
    )
    op.create_index("ix_booking_series_case_id", "booking_series", ["case_id"])


def downgrade() -> None:
    op.drop_index("ix_booking_series_case_id", table_name="booking_series")
    op.drop_table("booking_series")
    op.drop_table("waitlist_policies")
    op.drop_index("ix_waitlist_entries_booking_id", table_name="waitlist_entries")
    for column in ("booking_id", "ends_at", "starts_at"):
        op.drop_column("waitlist_entries", column)
    op.drop_constraint("ck_waitlist_entries_status", "waitlist_entries")
    op.create_check_constraint(
        "ck_waitlist_entries_status", "waitlist_entries", f"status IN ({_ENTRY_STATUSES})"
    )
    op.drop_column("capacity_pools", "resource_type")
    _exclusion("'confirmed'")
    op.drop_constraint("ck_bookings_hold", "bookings")
    op.drop_constraint("ck_bookings_status", "bookings")
    op.drop_column("bookings", "hold_expires_at")
