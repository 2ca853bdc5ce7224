"""Tables of a site's inventory. Types are plain text checked at the edge (StrEnum), not
PostgreSQL enums: a site adding a resource type should not need a migration."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Index, String, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from cq_shared.db.columns import array_column, utc_datetime_column


class ResourceType(StrEnum):
    GUEST_APARTMENT = "guest_apartment"  # Pflegegästewohnung (Kurzzeitpflege, emergencies)
    COUNSELLING_ROOM = "counselling_room"
    DAY_CARE_PLACE = (
        "day_care_place"  # one Tagespflegeplatz; a site's daily capacity is their count
    )


# Staff with this skill offer counselling slots.
COUNSELLING_SKILL = "counselling"


class SlotStatus(StrEnum):
    FREE = "free"
    BOOKED = "booked"


class Resource(SQLModel, table=True):
    """Something bookable for one booking at a time. Capacity stays 1 because the bookings'
    exclusion constraint guarantees exactly that; more places are more rows."""

    __tablename__ = "resources"
    __table_args__ = (CheckConstraint("capacity = 1", name="ck_resources_capacity_one"),)

    id: uuid.UUID = Field(primary_key=True)
    site: str = Field(index=True)
    type: str
    name: str
    capacity: int = 1


class Staff(SQLModel, table=True):
    __tablename__ = "staff"

    id: uuid.UUID = Field(primary_key=True)
    site: str = Field(index=True)
    name: str
    role: str  # Pflegefachkraft, Sozialberaterin, ...
    skills: list[str] = Field(sa_column=array_column(String))
    languages: list[str] = Field(sa_column=array_column(String))


class CounsellingSlot(SQLModel, table=True):
    """An hour a counsellor offers. `status` flips to booked in the booking's transaction;
    the row lock on that update is what keeps two concurrent cases off the same slot."""

    __tablename__ = "counselling_slots"
    __table_args__ = (
        UniqueConstraint("staff_id", "starts_at", name="uq_counselling_slots_staff_start"),
        CheckConstraint("ends_at > starts_at", name="ck_counselling_slots_period"),
        # "The first free slot from now": only free slots are ever searched by time.
        Index("ix_counselling_slots_free", "starts_at", postgresql_where=text("status = 'free'")),
    )

    id: uuid.UUID = Field(primary_key=True)
    staff_id: uuid.UUID = Field(foreign_key="staff.id", index=True)
    starts_at: datetime = Field(sa_column=utc_datetime_column())
    ends_at: datetime = Field(sa_column=utc_datetime_column())
    location: str
    status: str = SlotStatus.FREE.value
