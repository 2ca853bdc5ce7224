"""The deliveries table: the handlers insert pending rows, the sender completes them."""

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from cq_shared.contracts.common import Language, RecipientRole
from cq_shared.db.columns import enum_column, jsonb_column, text_column, utc_datetime_column


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    SENT = "sent"
    FAILED = "failed"


class Channel(StrEnum):
    EMAIL = "email"


class Delivery(SQLModel, table=True):
    """One message to one recipient about one event.

    (event_source, event_id, recipient_key) is unique: the inbox already drops a redelivered
    event, and this key guarantees one delivery per event and recipient even if an event
    reaches a handler twice by another path (a re-drive after the inbox was pruned).
    Subject and body are kept only until the delivery is settled (data minimisation); the
    address is dropped when the case is erased.
    """

    __tablename__ = "deliveries"
    __table_args__ = (
        UniqueConstraint(
            "event_source", "event_id", "recipient_key", name="uq_deliveries_event_recipient"
        ),
        # What the sender polls for: only pending rows, in due order.
        Index("ix_deliveries_due", "next_attempt_at", postgresql_where=text("status = 'pending'")),
        Index("ix_deliveries_case_id", "case_id"),
    )

    delivery_id: uuid.UUID = Field(primary_key=True)
    # Null for a message about no case: a shift gap told to staff (journey 4).
    case_id: uuid.UUID | None = None
    site: str = Field(max_length=64)
    event_type: str = Field(max_length=200)
    event_source: str = Field(max_length=200)
    event_id: str = Field(max_length=200)
    # The recipient's id for case recipients, "volunteer:<id>" for a volunteer, "staff:<id>"
    # for a staff member, "coordination:<site>" for a site's coordination mailbox.
    recipient_key: str = Field(max_length=100)
    recipient_role: RecipientRole = Field(sa_column=enum_column(RecipientRole))
    recipient_address: str | None = Field(default=None, max_length=320)
    channel: Channel = Field(sa_column=enum_column(Channel, length=16))
    template: str = Field(max_length=64)
    language: Language = Field(sa_column=enum_column(Language, length=16))
    subject: str | None = Field(default=None, sa_column=text_column(nullable=True))
    body: str | None = Field(default=None, sa_column=text_column(nullable=True))
    status: DeliveryStatus = Field(sa_column=enum_column(DeliveryStatus, length=16))
    attempts: int = 0
    # The error's type (and SMTP code), never a message text: replies can quote addresses.
    last_error: str | None = Field(default=None, max_length=200)
    created_at: datetime = Field(sa_column=utc_datetime_column())
    next_attempt_at: datetime = Field(sa_column=utc_datetime_column())
    sent_at: datetime | None = Field(default=None, sa_column=utc_datetime_column(nullable=True))


class ParkedEvent(SQLModel, table=True):
    """News for a case whose recipients are not known yet.

    Scheduling's and volunteering's events travel on other topics than intake's
    RecipientsRegistered and may overtake it. Instead of failing (and retrying in place,
    which holds up every later event of the consumer), the event is parked here and turned
    into deliveries when the registration arrives. The payload carries no personal data
    (contact points travel only in the registration); an erasure deletes it anyway.
    """

    __tablename__ = "parked_events"

    case_id: uuid.UUID = Field(primary_key=True)
    event_source: str = Field(primary_key=True, max_length=200)
    event_id: str = Field(primary_key=True, max_length=200)
    event_type: str = Field(max_length=200)
    site: str = Field(max_length=64)
    data: dict[str, Any] = Field(sa_column=jsonb_column())
    parked_at: datetime = Field(sa_column=utc_datetime_column())


class SeriesSeen(SQLModel, table=True):
    """The last figures of a recurring need's series (BookingSeriesChanged) seen here: what
    the next state of the series is compared with, to mail a change that matters once (a day
    promoted, days cancelled) and nothing else; and how a day's own waiting-list event is
    known to belong to a series (its series' mail tells it). Ids and counts only."""

    __tablename__ = "series_seen"

    need_id: uuid.UUID = Field(primary_key=True)
    case_id: uuid.UUID = Field(index=True)
    total: int
    booked: int
    seen_at: datetime = Field(sa_column=utc_datetime_column())
