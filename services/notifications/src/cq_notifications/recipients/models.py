"""The contact points notifications keeps per case, and nothing else about a person."""

import uuid
from datetime import datetime

from sqlalchemy import Column, ForeignKey, LargeBinary, Text, Uuid
from sqlmodel import Field, SQLModel

from cq_shared.contracts.common import Language, RecipientRole
from cq_shared.db.columns import enum_column, utc_datetime_column


class NotifiedCase(SQLModel, table=True):
    """What notifications knows about a case: whether its recipients have been registered
    (so "nobody may be notified" differs from "not known yet") and whether it was erased (a
    tombstone without personal data, so late or re-driven events cannot bring data back).
    Handlers lock this row to serialise with an erasure."""

    __tablename__ = "cases"

    case_id: uuid.UUID = Field(primary_key=True)
    site: str = Field(max_length=64)
    recipients_registered_at: datetime | None = Field(
        default=None, sa_column=utc_datetime_column(nullable=True)
    )
    erased_at: datetime | None = Field(default=None, sa_column=utc_datetime_column(nullable=True))


class CaseRecipient(SQLModel, table=True):
    """One person notifications may write to about a case, consent already checked by intake."""

    __tablename__ = "recipients"

    case_id: uuid.UUID = Field(
        sa_column=Column(Uuid, ForeignKey("cases.case_id", ondelete="CASCADE"), primary_key=True)
    )
    recipient_id: uuid.UUID = Field(primary_key=True)
    role: RecipientRole = Field(sa_column=enum_column(RecipientRole))
    given_name: str = Field(max_length=200)
    family_name: str = Field(max_length=200)
    email: str | None = Field(default=None, max_length=320)
    phone: str | None = Field(default=None, max_length=64)
    language: Language = Field(sa_column=enum_column(Language, length=16))


class CaseKey(SQLModel, table=True):
    """The key that opens a case's sealed contact points (intake's `CaseKeyIssued`), or,
    once the case is erased, only the fact that it was destroyed (`key` null): a late
    registration of an erased case then finds no key and brings nothing back."""

    __tablename__ = "case_keys"

    case_id: uuid.UUID = Field(primary_key=True)
    key: bytes | None = Field(default=None, sa_column=Column(LargeBinary, nullable=True))
    destroyed_at: datetime | None = Field(
        default=None, sa_column=utc_datetime_column(nullable=True)
    )


class SealedRegistration(SQLModel, table=True):
    """A registration that arrived before its key (the key travels on another topic): kept
    sealed, unreadable, until the key comes, then opened and registered."""

    __tablename__ = "sealed_registrations"

    case_id: uuid.UUID = Field(primary_key=True)
    site: str = Field(max_length=64)
    sealed_recipients: str = Field(sa_column=Column(Text, nullable=False))
    received_at: datetime = Field(sa_column=utc_datetime_column())
