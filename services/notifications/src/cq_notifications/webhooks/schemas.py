"""Webhook API bodies. The signing secret appears in `SubscriptionCreated` only."""

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, StringConstraints

from cq_notifications.webhooks.models import (
    DisabledReason,
    SubscriptionStatus,
    WebhookDeliveryStatus,
)
from cq_shared.contracts.inputs import FreeText, SiteId, no_duplicates

EventType = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class SubscriptionCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    url: str = Field(min_length=1, max_length=2000, description="An https endpoint.")
    types: Annotated[list[EventType], AfterValidator(no_duplicates)] = Field(
        min_length=1,
        max_length=50,
        description="Public event types (catalogue.public_event_types()).",
    )
    description: FreeText = ""
    site: SiteId | None = Field(
        default=None,
        description="Only this site's events. A site admin's subscription is always for its "
        "own site; a platform admin's is for every site unless one is given.",
    )


class SubscriptionView(BaseModel):
    subscription_id: uuid.UUID
    url: str
    types: list[str]
    description: str
    site: str | None
    status: SubscriptionStatus
    disabled_reason: DisabledReason | None
    created_at: datetime
    disabled_at: datetime | None


class SubscriptionCreated(SubscriptionView):
    secret: str = Field(
        description="The signing secret (Standard Webhooks, whsec_...), shown only now."
    )


class DeliveryView(BaseModel):
    delivery_id: uuid.UUID = Field(description="The webhook-id header of every attempt.")
    event_type: str
    status: WebhookDeliveryStatus
    attempts: int
    last_status_code: int | None
    last_error: str | None
    created_at: datetime
    next_attempt_at: datetime | None
    delivered_at: datetime | None
