"""The webhook tables: subscriptions, the public events they receive, and one delivery per
(subscription, event)."""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ForeignKey, Index, Text, UniqueConstraint, Uuid, text
from sqlmodel import Field, SQLModel

from cq_shared.db.columns import array_column, enum_column, text_column, utc_datetime_column


class SubscriptionStatus(StrEnum):
    ACTIVE = "active"
    DISABLED = "disabled"


class DisabledReason(StrEnum):
    BY_ADMIN = "disabled_by_admin"
    GONE = "endpoint_gone"  # the receiver answered 410 Gone
    FAILING = "deliveries_failing"  # a delivery exhausted its retry schedule


class WebhookDeliveryStatus(StrEnum):
    PENDING = "pending"
    SUCCEEDED = "succeeded"
    FAILED = "failed"
    CANCELLED = "cancelled"
    # Held while the subscription is disabled (by an admin, a 410 or failing for days):
    # sent when it is enabled again, so a branch loses nothing of the disabled period.
    PAUSED = "paused"


class WebhookSubscription(SQLModel, table=True):
    """An endpoint and the public event types it receives, for one site or (site NULL,
    platform admins only) every site. The signing secret is kept sealed (`secrets.py`)."""

    __tablename__ = "webhook_subscriptions"

    subscription_id: uuid.UUID = Field(primary_key=True)
    site: str | None = Field(default=None, max_length=64)
    url: str = Field(max_length=2000)
    types: list[str] = Field(sa_column=array_column())
    description: str = Field(sa_column=text_column())
    sealed_secret: str = Field(sa_column=text_column())
    status: SubscriptionStatus = Field(sa_column=enum_column(SubscriptionStatus, length=16))
    disabled_reason: DisabledReason | None = Field(
        default=None, sa_column=enum_column(DisabledReason, nullable=True)
    )
    created_by: str = Field(max_length=200)
    created_at: datetime = Field(sa_column=utc_datetime_column())
    disabled_at: datetime | None = Field(default=None, sa_column=utc_datetime_column(nullable=True))


class WebhookEvent(SQLModel, table=True):
    """A public event as sent: the CloudEvent in JSON structured mode, kept as the exact text
    that is signed, so every attempt and replay sends the same bytes. Public events carry
    no personal data (contracts/public.py)."""

    __tablename__ = "webhook_events"
    __table_args__ = (UniqueConstraint("source", "ce_id", name="uq_webhook_events_source_id"),)

    event_id: uuid.UUID = Field(primary_key=True)  # uuid5 of (source, id): the same on redelivery
    source: str = Field(max_length=200)
    ce_id: str = Field(max_length=200)
    event_type: str = Field(max_length=200)
    site: str = Field(max_length=64)
    body: str = Field(sa_column=Column(Text, nullable=False))
    received_at: datetime = Field(sa_column=utc_datetime_column())


class WebhookDelivery(SQLModel, table=True):
    """One event to one subscription; `delivery_id` is the `webhook-id` header, the same on
    every attempt and replay, so receivers can deduplicate. Unique per (subscription, event):
    a redelivered event never makes a second delivery."""

    __tablename__ = "webhook_deliveries"
    __table_args__ = (
        UniqueConstraint("subscription_id", "event_id", name="uq_webhook_deliveries_event"),
        Index("ix_webhook_deliveries_subscription", "subscription_id", "created_at"),
        # What a 410 or an exhausted schedule cancels: the subscription's pending rows.
        Index(
            "ix_webhook_deliveries_pending",
            "subscription_id",
            postgresql_where=text("status = 'pending'"),
        ),
    )

    delivery_id: uuid.UUID = Field(primary_key=True)
    subscription_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid(),
            ForeignKey("webhook_subscriptions.subscription_id", ondelete="CASCADE"),
            nullable=False,
        )
    )
    event_id: uuid.UUID = Field(
        sa_column=Column(
            Uuid(), ForeignKey("webhook_events.event_id", ondelete="CASCADE"), nullable=False
        )
    )
    event_type: str = Field(max_length=200)
    site: str = Field(max_length=64)
    status: WebhookDeliveryStatus = Field(sa_column=enum_column(WebhookDeliveryStatus, length=16))
    attempts: int = 0
    # Failed attempts since the schedule (re)started: an index into RETRY_DELAYS; a replay
    # starts a fresh schedule.
    step: int = 0
    last_status_code: int | None = None
    # What went wrong, as a kind ("timeout", "connect_error", "unsafe_url", "http_status"),
    # never a response text.
    last_error: str | None = Field(default=None, max_length=64)
    created_at: datetime = Field(sa_column=utc_datetime_column())
    next_attempt_at: datetime | None = Field(
        default=None, sa_column=utc_datetime_column(nullable=True)
    )
    delivered_at: datetime | None = Field(
        default=None, sa_column=utc_datetime_column(nullable=True)
    )
