"""The contact points of a site's staff (scheduling's StaffMemberRegistered, journey 4), kept
to tell them and their unit leads of shift gaps, and nothing else about them."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

from cq_shared.contracts.common import Language
from cq_shared.db.columns import enum_column, jsonb_column, utc_datetime_column


class StaffContact(SQLModel, table=True):
    """One staff member as last told by scheduling; the row is deleted on
    StaffMemberRemoved (erasure: nothing of the person stays here)."""

    __tablename__ = "staff_contacts"
    __table_args__ = (
        # The unit leads of a unit: looked up for every gap event.
        Index("ix_staff_contacts_unit", "site", "unit"),
    )

    staff_id: uuid.UUID = Field(primary_key=True)
    site: str = Field(max_length=64)
    given_name: str = Field(max_length=200)
    family_name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320)
    language: Language = Field(sa_column=enum_column(Language, length=16))
    unit: str = Field(max_length=100)
    unit_lead: bool = False
    updated_at: datetime = Field(sa_column=utc_datetime_column())


class WaitingStaffNews(SQLModel, table=True):
    """A gap event that names a person whose contact point has not arrived yet: the
    registration travels under the person's key, the gap event under the gap's, so Kafka may
    deliver the gap first. Kept (ids and the event's data, no contact point) until the
    person's StaffMemberRegistered, then told again: deliveries are unique per event and
    recipient, so those told the first time are not told twice."""

    __tablename__ = "waiting_staff_news"

    staff_id: uuid.UUID = Field(primary_key=True)
    event_source: str = Field(primary_key=True, max_length=300)
    event_id: str = Field(primary_key=True, max_length=200)
    event_type: str = Field(max_length=200)
    data: dict[str, Any] = Field(sa_column=jsonb_column())
    waiting_since: datetime = Field(sa_column=utc_datetime_column())
