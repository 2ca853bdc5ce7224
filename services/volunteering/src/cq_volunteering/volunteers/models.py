"""The volunteers table."""

import uuid
from datetime import date, datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

# Imported for its side effect: the outbox and inbox tables join SQLModel.metadata, so the
# migrations create them in this service's database too.
import cq_shared.messaging.tables  # noqa: F401
from cq_shared.db.columns import array_column, utc_datetime_column


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
    languages: list[str] = Field(sa_column=array_column())
    skills: list[str] = Field(sa_column=array_column())
    postal_code: str
    weekdays: list[str] = Field(sa_column=array_column())
    max_load: int
    # The erweitertes Führungszeugnis: valid up to and including this day.
    certificate_of_conduct_expires_on: date
    created_at: datetime = Field(sa_column=utc_datetime_column())
    updated_at: datetime = Field(sa_column=utc_datetime_column())
