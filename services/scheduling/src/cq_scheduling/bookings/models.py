"""The bookings table. Double booking is impossible by construction, not by checking first:
an exclusion constraint over (resource, period) for confirmed and held bookings and a unique
index over the slot for confirmed ones, so a cancelled, released or expired booking frees its
resource or slot. A hold (the front desk on the phone, or a place offered to the first person
waiting) is a booking row too: the same constraint keeps it from being double-booked."""

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Date, Index, func, text
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlmodel import Field, SQLModel

import cq_shared.messaging.tables  # noqa: F401 - the migration also creates outbox and inbox
from cq_scheduling.availability.announce import PlaceChange
from cq_shared.db.columns import array_column, utc_datetime_column


class BookingStatus(StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"
    HELD = "held"  # taken until `hold_expires_at`; then confirmed, released or expired
    RELEASED = "released"  # a hold given back before its time
    EXPIRED = "expired"  # a hold that ran out (its durable timer)


# The statuses that take the resource for the period: the exclusion constraint's and the
# availability figures' (a held place counts as taken).
TAKING = (BookingStatus.CONFIRMED, BookingStatus.HELD)
TAKING_SQL = ", ".join(f"'{status.value}'" for status in TAKING)


# The booking a counselling slot stands for (there is no resource row for a counsellor's hour).
COUNSELLING = "counselling"


class Booking(SQLModel, table=True):
    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ck_bookings_period"),
        CheckConstraint(
            f"status IN ({', '.join(repr(status.value) for status in BookingStatus)})",
            name="ck_bookings_status",
        ),
        CheckConstraint(
            "(status = 'held') = (hold_expires_at IS NOT NULL)", name="ck_bookings_hold"
        ),
        CheckConstraint(
            "(resource_id IS NULL) <> (slot_id IS NULL)", name="ck_bookings_resource_or_slot"
        ),
        # tstzrange is half-open [start, end): a stay ending at 12:00 and the next starting at
        # 12:00 do not overlap. Needs the btree_gist extension for `resource_id WITH =`.
        ExcludeConstraint(
            (Column("resource_id"), "="),
            (func.tstzrange(Column("starts_at"), Column("ends_at")), "&&"),
            name="ex_bookings_resource_period",
            using="gist",
            where=text(f"status IN ({TAKING_SQL})"),
        ),
        Index(
            "uq_bookings_slot_confirmed",
            "slot_id",
            unique=True,
            postgresql_where=text("status = 'confirmed'"),
        ),
    )

    id: uuid.UUID = Field(default_factory=uuid.uuid4, primary_key=True)
    site: str = Field(index=True)
    case_id: uuid.UUID | None = Field(default=None, index=True)
    need_id: uuid.UUID | None = Field(default=None, index=True)
    resource_type: str
    resource_id: uuid.UUID | None = Field(default=None, foreign_key="resources.id")
    slot_id: uuid.UUID | None = Field(default=None, foreign_key="counselling_slots.id")
    starts_at: datetime = Field(sa_column=utc_datetime_column())
    ends_at: datetime = Field(sa_column=utc_datetime_column())
    status: str = BookingStatus.CONFIRMED.value
    hold_expires_at: datetime | None = Field(
        default=None, sa_column=utc_datetime_column(nullable=True)
    )
    created_at: datetime = Field(sa_column=utc_datetime_column())

    def place_change(self) -> PlaceChange:
        """This booking's period, for the public availability figures it changes."""
        return PlaceChange(self.site, self.resource_type, self.starts_at, self.ends_at)


class BookingSeries(SQLModel, table=True):
    """A recurring need (a day guest every Tuesday and Thursday): its days, so the series'
    state can be told whole and cancelled from a date on. Its bookings and waiting entries
    carry the need's id."""

    __tablename__ = "booking_series"

    need_id: uuid.UUID = Field(primary_key=True)
    case_id: uuid.UUID = Field(index=True)
    site: str
    resource_type: str
    days: list[date] = Field(sa_column=array_column(Date))
    cancelled_from: date | None = None  # days from this one on were cancelled
    created_at: datetime = Field(sa_column=utc_datetime_column())
