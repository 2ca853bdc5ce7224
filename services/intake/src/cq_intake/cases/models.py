"""The case and what hangs off it. Strings are unbounded in the database: the API enforces
the limits, and a second, different limit here would turn a long name into a 500."""

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Index, LargeBinary
from sqlmodel import Field

from cq_intake.cases.status import CaseStatus, NeedState
from cq_intake.cases.vocabulary import Channel, Relation
from cq_intake.tables import IntakeTable
from cq_shared.contracts import CareLevel, Language, NeedType
from cq_shared.contracts.common import Urgency, Weekday
from cq_shared.db.columns import (
    array_column,
    enum_column,
    jsonb_column,
    text_column,
    utc_datetime_column,
)


class Case(IntakeTable, table=True):
    __tablename__ = "cases"
    # The list endpoint: a site's cases, newest first.
    __table_args__ = (Index("ix_cases_site_created_at", "site", "created_at"),)

    id: uuid.UUID = Field(primary_key=True)
    site: str
    channel: Channel = Field(sa_column=enum_column(Channel))
    urgency: Urgency = Field(sa_column=enum_column(Urgency))
    status: CaseStatus = Field(sa_column=enum_column(CaseStatus))
    # Consent per purpose (GDPR Art. 9), as given at intake.
    consent_data_processing: bool
    consent_notify_contacts: bool
    consent_share_with_volunteers: bool
    created_by: str  # the token subject of the staff member who took the request
    created_at: datetime = Field(sa_column=utc_datetime_column())
    updated_at: datetime = Field(sa_column=utc_datetime_column())
    # Set once the client's personal data was erased here (consent withdrawn): the case
    # stays, anonymous, for statistics; reading it answers 410.
    erased_at: datetime | None = Field(default=None, sa_column=utc_datetime_column(nullable=True))


class Client(IntakeTable, table=True):
    """The person who needs help. Its id is their recipient id for notifications."""

    __tablename__ = "clients"

    id: uuid.UUID = Field(primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="cases.id", ondelete="CASCADE", unique=True)
    given_name: str
    family_name: str
    # Null once erased; the age band (taken at intake) and the care level stay for statistics.
    birth_date: date | None = None
    age_band: str
    postal_code: str | None = None
    language: Language = Field(sa_column=enum_column(Language))
    care_level: CareLevel = Field(sa_column=enum_column(CareLevel))
    email: str | None = None
    phone: str | None = None


class Contact(IntakeTable, table=True):
    """A relative, neighbour or legal representative; its id is their recipient id."""

    __tablename__ = "contacts"

    id: uuid.UUID = Field(primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="cases.id", ondelete="CASCADE", index=True)
    position: int  # the order they were given in
    relation: Relation = Field(sa_column=enum_column(Relation))
    given_name: str
    family_name: str
    email: str | None = None
    phone: str | None = None
    language: Language = Field(sa_column=enum_column(Language))
    notify: bool


class Need(IntakeTable, table=True):
    __tablename__ = "needs"

    id: uuid.UUID = Field(primary_key=True)
    case_id: uuid.UUID = Field(foreign_key="cases.id", ondelete="CASCADE", index=True)
    position: int
    type: NeedType = Field(sa_column=enum_column(NeedType))
    start: date | None = None
    days: int | None = None
    course_id: uuid.UUID | None = None  # prevention_course: the course asked for
    # A recurring need: weekdays up to `until`, or an RFC 5545 rule (schemas.NeedIn).
    until: date | None = None
    weekdays: list[str] | None = Field(default=None, sa_column=array_column(nullable=True))
    rrule: str | None = Field(default=None, sa_column=text_column(nullable=True))
    # Free text that may name a diagnosis: stays here, never in an event or a log line.
    note: str | None = Field(default=None, sa_column=text_column(nullable=True))
    state: NeedState = Field(sa_column=enum_column(NeedState))
    # What the acting service reported last (see schemas.NeedDetails), {} until then.
    details: dict[str, Any] = Field(default_factory=dict, sa_column=jsonb_column())
    updated_at: datetime = Field(sa_column=utc_datetime_column())

    def series_weekdays(self) -> list[Weekday] | None:
        """The stored weekdays (text in the database) in the contract's vocabulary."""
        return [Weekday(day) for day in self.weekdays] if self.weekdays else None


class CaseKey(IntakeTable, table=True):
    """The key that seals the case's personal data in events (crypto-shredding, decision 0012).
    Erasure deletes it: every sealed copy, in Kafka or elsewhere, is then unreadable."""

    __tablename__ = "case_keys"

    case_id: uuid.UUID = Field(foreign_key="cases.id", ondelete="CASCADE", primary_key=True)
    key: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
