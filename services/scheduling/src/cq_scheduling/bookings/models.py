"""The bookings table. Double booking is impossible by construction, not by checking first:
an exclusion constraint over (resource, period) and a unique index over the slot, both only
for confirmed bookings, so a cancelled booking frees its resource or slot."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, Index, func, text
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlmodel import Field, SQLModel

import cq_shared.messaging.tables  # noqa: F401 - the migration also creates outbox and inbox
from cq_shared.db.columns import utc_datetime_column


class BookingStatus(StrEnum):
    CONFIRMED = "confirmed"
    CANCELLED = "cancelled"


# The booking a counselling slot stands for (there is no resource row for a counsellor's hour).
COUNSELLING = "counselling"


class Booking(SQLModel, table=True):
    __tablename__ = "bookings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ck_bookings_period"),
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
            where=text("status = 'confirmed'"),
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
    created_at: datetime = Field(sa_column=utc_datetime_column())
