"""The volunteers table."""

import uuid
from datetime import date, datetime

from sqlalchemy import Column, DateTime, Text, UniqueConstraint
from sqlalchemy.dialects.postgresql import ARRAY
from sqlmodel import Field, SQLModel

# Imported for its side effect: the outbox and inbox tables join SQLModel.metadata, so the
# migrations create them in this service's database too.
import cq_shared.messaging.tables  # noqa: F401


class Volunteer(SQLModel, table=True):
    """An Ehrenamtliche of one site. Languages are in order of preference (the first is the
    one we write to them in)."""

    __tablename__ = "volunteers"
    __table_args__ = (UniqueConstraint("site", "email", name="uq_volunteers_site_email"),)

    id: uuid.UUID = Field(primary_key=True)
    site: str = Field(index=True)
    given_name: str
    family_name: str
    email: str
    phone: str | None = None
    languages: list[str] = Field(sa_column=Column(ARRAY(Text), nullable=False))
    skills: list[str] = Field(sa_column=Column(ARRAY(Text), nullable=False))
    postal_code: str
    weekdays: list[str] = Field(sa_column=Column(ARRAY(Text), nullable=False))
    max_load: int
    # The erweitertes Führungszeugnis: valid up to and including this day.
    certificate_of_conduct_expires_on: date
    created_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    updated_at: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
