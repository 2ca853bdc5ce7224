"""Revision 0007 after 0006: staff gaps (issue 10, journey 4).

- `staffing_rules`: a site's working-time configuration, bounded by the ArbZG in CHECKs.
- `staff_members`: people on the shift plan (unit, qualification, contracted hours, pool,
  contact point), separate from the counsellors' `staff`.
- `shifts`, `absences`, `shift_gaps`, `shift_offers`, with exclusion constraints so nobody
  has two shifts, two absences or two open offers at once.
Written by hand (docs/decisions/0019-staff-gaps.md).

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-09
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _instant(name: str, *, nullable: bool = False) -> sa.Column[object]:
    return sa.Column(name, sa.DateTime(timezone=True), nullable=nullable)


def _no_overlap(name: str, table: str, where: str) -> None:
    op.create_exclude_constraint(
        name,
        table,
        (sa.column("staff_id"), "="),
        (sa.func.tstzrange(sa.column("starts_at"), sa.column("ends_at")), "&&"),
        where=sa.text(where),
        using="gist",
    )


def upgrade() -> None:
    op.create_table(
        "staffing_rules",
        sa.Column("site", sa.String(), primary_key=True),
        sa.Column("qualifications", postgresql.ARRAY(sa.String()), nullable=False),
        sa.Column("min_rest_minutes", sa.Integer(), nullable=False),
        sa.Column("max_daily_minutes", sa.Integer(), nullable=False),
        sa.Column("max_consecutive_days", sa.Integer(), nullable=False),
        sa.Column("offer_timeout_minutes", sa.Integer(), nullable=False),
        sa.CheckConstraint("min_rest_minutes >= 600", name="ck_staffing_rules_rest"),
        sa.CheckConstraint("max_daily_minutes BETWEEN 60 AND 600", name="ck_staffing_rules_daily"),
        sa.CheckConstraint(
            "max_consecutive_days BETWEEN 1 AND 12", name="ck_staffing_rules_consecutive"
        ),
        sa.CheckConstraint(
            "offer_timeout_minutes BETWEEN 5 AND 10080", name="ck_staffing_rules_timeout"
        ),
        sa.CheckConstraint("cardinality(qualifications) >= 1", name="ck_staffing_rules_order"),
    )
    op.create_table(
        "staff_members",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("given_name", sa.String(), nullable=False),
        sa.Column("family_name", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        sa.Column("qualification", sa.String(), nullable=False),
        sa.Column("contracted_hours_per_week", sa.Float(), nullable=False),
        sa.Column("pool", postgresql.ARRAY(sa.String()), nullable=False),
        sa.Column("language", sa.String(), nullable=False),
        sa.Column("email", sa.String(), nullable=True),
        sa.Column("unit_lead", sa.Boolean(), nullable=False),
        sa.CheckConstraint(
            "contracted_hours_per_week > 0 AND contracted_hours_per_week <= 48",
            name="ck_staff_members_hours",
        ),
    )
    op.create_index("ix_staff_members_site", "staff_members", ["site"])
    op.create_table(
        "shifts",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("unit", sa.String(), nullable=False),
        _instant("starts_at"),
        _instant("ends_at"),
        sa.Column("required_qualification", sa.String(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), sa.ForeignKey("staff_members.id"), nullable=True),
        sa.Column("status", sa.String(), nullable=False),
        sa.CheckConstraint("ends_at > starts_at", name="ck_shifts_period"),
        sa.CheckConstraint("ends_at - starts_at <= interval '12 hours'", name="ck_shifts_length"),
        sa.CheckConstraint("status IN ('assigned', 'uncovered')", name="ck_shifts_status"),
        sa.CheckConstraint(
            "(status = 'assigned') = (staff_id IS NOT NULL)", name="ck_shifts_assigned"
        ),
    )
    _no_overlap("ex_shifts_staff_period", "shifts", "staff_id IS NOT NULL")
    op.create_index("ix_shifts_site_starts_at", "shifts", ["site", "starts_at"])
    op.create_index("ix_shifts_staff_id", "shifts", ["staff_id"])
    op.create_table(
        "absences",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("staff_id", sa.Uuid(), sa.ForeignKey("staff_members.id"), nullable=False),
        _instant("starts_at"),
        _instant("ends_at"),
        sa.Column("reason", sa.String(), nullable=False),
        _instant("reported_at"),
        sa.CheckConstraint("ends_at > starts_at", name="ck_absences_period"),
        sa.CheckConstraint(
            "reason IN ('illness', 'leave', 'training', 'other')", name="ck_absences_reason"
        ),
    )
    _no_overlap("ex_absences_staff_period", "absences", "true")
    op.create_index("ix_absences_staff_id", "absences", ["staff_id"])
    op.create_table(
        "shift_gaps",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("shift_id", sa.Uuid(), sa.ForeignKey("shifts.id"), nullable=False),
        sa.Column("absence_id", sa.Uuid(), sa.ForeignKey("absences.id"), nullable=False),
        sa.Column("absent_staff_id", sa.Uuid(), sa.ForeignKey("staff_members.id"), nullable=False),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("offered_to", sa.Uuid(), sa.ForeignKey("staff_members.id"), nullable=True),
        sa.Column("reasons", postgresql.JSONB(), nullable=False),
        _instant("opened_at"),
        sa.CheckConstraint(
            "status IN ('open', 'offered', 'filled', 'unfilled')", name="ck_shift_gaps_status"
        ),
        sa.CheckConstraint(
            "(status IN ('offered', 'filled')) = (offered_to IS NOT NULL)",
            name="ck_shift_gaps_offered_to",
        ),
    )
    op.create_index(
        "uq_shift_gaps_live_shift",
        "shift_gaps",
        ["shift_id"],
        unique=True,
        postgresql_where=sa.text("status IN ('open', 'offered')"),
    )
    op.create_index("ix_shift_gaps_site_status", "shift_gaps", ["site", "status"])
    op.create_index("ix_shift_gaps_shift_id", "shift_gaps", ["shift_id"])
    op.create_index("ix_shift_gaps_absence_id", "shift_gaps", ["absence_id"])
    op.create_table(
        "shift_offers",
        sa.Column("id", sa.Uuid(), primary_key=True),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("gap_id", sa.Uuid(), sa.ForeignKey("shift_gaps.id"), nullable=False),
        sa.Column("staff_id", sa.Uuid(), sa.ForeignKey("staff_members.id"), nullable=False),
        _instant("starts_at"),
        _instant("ends_at"),
        sa.Column("status", sa.String(), nullable=False),
        sa.Column("score", sa.Integer(), nullable=False),
        sa.Column("reasons", postgresql.JSONB(), nullable=False),
        _instant("offered_at"),
        _instant("expires_at"),
        _instant("answered_at", nullable=True),
        sa.CheckConstraint(
            "status IN ('offered', 'accepted', 'declined', 'expired')",
            name="ck_shift_offers_status",
        ),
        sa.CheckConstraint("ends_at > starts_at", name="ck_shift_offers_period"),
    )
    op.create_index(
        "uq_shift_offers_gap_staff", "shift_offers", ["gap_id", "staff_id"], unique=True
    )
    op.create_index(
        "uq_shift_offers_open_gap",
        "shift_offers",
        ["gap_id"],
        unique=True,
        postgresql_where=sa.text("status = 'offered'"),
    )
    op.create_index("ix_shift_offers_staff_id", "shift_offers", ["staff_id"])
    _no_overlap("ex_shift_offers_staff_period", "shift_offers", "status = 'offered'")


def downgrade() -> None:
    for table in ("shift_offers", "shift_gaps", "absences", "shifts", "staff_members"):
        op.drop_table(table)
    op.drop_table("staffing_rules")
