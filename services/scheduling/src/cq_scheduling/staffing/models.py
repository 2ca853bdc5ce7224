"""The staffing tables. A staff member here is a person on a shift plan; the older `staff`
table (sites/models.py) lists the counsellors who offer counselling slots. They are separate
tables because they are separate things: a counsellor has skills and slots, a person on the
plan has a unit, a qualification, contracted hours, a pool and a contact point for offers,
and most of either has none of the other's columns (decision 0019).

The database keeps what it can, whatever the caller does:
- nobody has two assigned shifts at once, two absences at once or two open offers at once
  (exclusion constraints, btree_gist);
- a shift is assigned exactly when it has a person; a gap is offered or filled exactly when
  it names a person; a shift has at most one live gap, a gap at most one open offer, and a
  person is offered one gap at most once.
Rules over several rows of different tables (rest time, the daily maximum, consecutive days,
an offer against the person's shifts) are checked under the site's staffing lock
(repository.lock_site), where every proposal of the site is made one after the other.
"""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, Float, Index, String, func, text
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlmodel import Column, Field, SQLModel

from cq_shared.db.columns import array_column, jsonb_column, utc_datetime_column


class ShiftStatus(StrEnum):
    ASSIGNED = "assigned"  # has its person
    UNCOVERED = "uncovered"  # planned without a person, or its person is absent


class GapStatus(StrEnum):
    OPEN = "open"  # between an offer ending and the next (within one transaction)
    OFFERED = "offered"
    FILLED = "filled"
    UNFILLED = "unfilled"  # nobody may take it: the coordinator acts


class OfferStatus(StrEnum):
    OFFERED = "offered"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    EXPIRED = "expired"
    # Ended by the service, not the person: they became absent during the shift, or taking
    # it would now break a rule (offers.accept re-checks). Migration 0010.
    WITHDRAWN = "withdrawn"


class AbsenceReason(StrEnum):
    # Kinds, never a diagnosis: the reason is read by planners and travels nowhere.
    ILLNESS = "illness"
    LEAVE = "leave"
    TRAINING = "training"
    OTHER = "other"


def _no_overlap(name: str, where: str) -> ExcludeConstraint:
    return ExcludeConstraint(
        (Column("staff_id"), "="),
        (func.tstzrange(Column("starts_at"), Column("ends_at")), "&&"),
        name=name,
        using="gist",
        where=text(where),
    )


class StaffingRules(SQLModel, table=True):
    """A site's working-time configuration (rules.RuleSet); a site without a row gets the
    defaults (11 h rest, 10 h a day, 6 days in a row, offers open 2 hours)."""

    __tablename__ = "staffing_rules"
    __table_args__ = (
        # ArbZG § 5 Abs. 1 and 2: eleven hours, ten in care.
        CheckConstraint("min_rest_minutes >= 600", name="ck_staffing_rules_rest"),
        # ArbZG § 3: never more than ten hours a day.
        CheckConstraint("max_daily_minutes BETWEEN 60 AND 600", name="ck_staffing_rules_daily"),
        CheckConstraint(
            "max_consecutive_days BETWEEN 1 AND 12", name="ck_staffing_rules_consecutive"
        ),
        CheckConstraint(
            "offer_timeout_minutes BETWEEN 5 AND 10080", name="ck_staffing_rules_timeout"
        ),
        CheckConstraint("cardinality(qualifications) >= 1", name="ck_staffing_rules_order"),
    )

    site: str = Field(primary_key=True)
    qualifications: list[str] = Field(sa_column=array_column(String))  # highest first
    min_rest_minutes: int
    max_daily_minutes: int
    max_consecutive_days: int
    offer_timeout_minutes: int


class StaffMember(SQLModel, table=True):
    __tablename__ = "staff_members"
    __table_args__ = (
        CheckConstraint(
            "contracted_hours_per_week > 0 AND contracted_hours_per_week <= 48",
            name="ck_staff_members_hours",  # ArbZG § 3: 48 hours a week on average at most
        ),
    )

    id: uuid.UUID = Field(primary_key=True)
    site: str = Field(index=True)
    given_name: str
    family_name: str
    unit: str
    qualification: str
    contracted_hours_per_week: float = Field(sa_column=Column(Float, nullable=False))
    pool: list[str] = Field(sa_column=array_column(String))  # further units they may work in
    language: str
    email: str | None = None
    unit_lead: bool = False


class Shift(SQLModel, table=True):
    __tablename__ = "shifts"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ck_shifts_period"),
        CheckConstraint("ends_at - starts_at <= interval '12 hours'", name="ck_shifts_length"),
        CheckConstraint("status IN ('assigned', 'uncovered')", name="ck_shifts_status"),
        CheckConstraint(
            "(status = 'assigned') = (staff_id IS NOT NULL)", name="ck_shifts_assigned"
        ),
        _no_overlap("ex_shifts_staff_period", "staff_id IS NOT NULL"),
        Index("ix_shifts_site_starts_at", "site", "starts_at"),
    )

    id: uuid.UUID = Field(primary_key=True)
    site: str
    unit: str
    starts_at: datetime = Field(sa_column=utc_datetime_column())
    ends_at: datetime = Field(sa_column=utc_datetime_column())
    required_qualification: str
    staff_id: uuid.UUID | None = Field(default=None, foreign_key="staff_members.id", index=True)
    status: str


class Absence(SQLModel, table=True):
    __tablename__ = "absences"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ck_absences_period"),
        CheckConstraint(
            "reason IN ('illness', 'leave', 'training', 'other')", name="ck_absences_reason"
        ),
        _no_overlap("ex_absences_staff_period", "true"),
    )

    id: uuid.UUID = Field(primary_key=True)
    site: str
    staff_id: uuid.UUID = Field(foreign_key="staff_members.id", index=True)
    starts_at: datetime = Field(sa_column=utc_datetime_column())
    ends_at: datetime = Field(sa_column=utc_datetime_column())
    reason: str
    reported_at: datetime = Field(sa_column=utc_datetime_column())


class ShiftGap(SQLModel, table=True):
    __tablename__ = "shift_gaps"
    __table_args__ = (
        CheckConstraint(
            "status IN ('open', 'offered', 'filled', 'unfilled')", name="ck_shift_gaps_status"
        ),
        CheckConstraint(
            "(status IN ('offered', 'filled')) = (offered_to IS NOT NULL)",
            name="ck_shift_gaps_offered_to",
        ),
        Index(
            "uq_shift_gaps_live_shift",
            "shift_id",
            unique=True,
            postgresql_where=text("status IN ('open', 'offered')"),
        ),
        Index("ix_shift_gaps_site_status", "site", "status"),
    )

    id: uuid.UUID = Field(primary_key=True)
    site: str
    shift_id: uuid.UUID = Field(foreign_key="shifts.id", index=True)
    absence_id: uuid.UUID = Field(foreign_key="absences.id", index=True)
    absent_staff_id: uuid.UUID = Field(foreign_key="staff_members.id")
    status: str
    offered_to: uuid.UUID | None = Field(default=None, foreign_key="staff_members.id")
    # Why the person offered (or filling) it was chosen, or why nobody could be.
    reasons: list[str] = Field(sa_column=jsonb_column())
    opened_at: datetime = Field(sa_column=utc_datetime_column())


class ShiftOffer(SQLModel, table=True):
    __tablename__ = "shift_offers"
    __table_args__ = (
        CheckConstraint(
            "status IN ('offered', 'accepted', 'declined', 'expired', 'withdrawn')",
            name="ck_shift_offers_status",
        ),
        CheckConstraint("ends_at > starts_at", name="ck_shift_offers_period"),
        Index("uq_shift_offers_gap_staff", "gap_id", "staff_id", unique=True),
        Index(
            "uq_shift_offers_open_gap",
            "gap_id",
            unique=True,
            postgresql_where=text("status = 'offered'"),
        ),
        # Two open offers of one person never overlap (the period is the shift's, copied).
        _no_overlap("ex_shift_offers_staff_period", "status = 'offered'"),
    )

    id: uuid.UUID = Field(primary_key=True)
    site: str
    gap_id: uuid.UUID = Field(foreign_key="shift_gaps.id")
    staff_id: uuid.UUID = Field(foreign_key="staff_members.id", index=True)
    starts_at: datetime = Field(sa_column=utc_datetime_column())
    ends_at: datetime = Field(sa_column=utc_datetime_column())
    status: str
    score: int
    reasons: list[Any] = Field(sa_column=jsonb_column())
    offered_at: datetime = Field(sa_column=utc_datetime_column())
    expires_at: datetime = Field(sa_column=utc_datetime_column())
    answered_at: datetime | None = Field(default=None, sa_column=utc_datetime_column(nullable=True))
