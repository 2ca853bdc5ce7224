"""The HTTP API's response models."""

import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict

from cq_notifications.deliveries.models import Channel, Delivery, DeliveryStatus
from cq_shared.contracts.common import Language, RecipientRole


class DeliveryView(BaseModel):
    """A delivery as the apps see it. `recipient_address` is filled for coordinators only
    (they contact the people); for everyone else, and after an erasure, it is null."""

    model_config = ConfigDict(frozen=True)

    delivery_id: uuid.UUID
    case_id: uuid.UUID | None  # null: about no case (a shift gap told to staff)
    site: str
    recipient_role: RecipientRole
    recipient_address: str | None = None
    channel: Channel
    language: Language
    template: str
    status: DeliveryStatus
    attempts: int
    last_error: str | None
    created_at: datetime
    sent_at: datetime | None

    @classmethod
    def of(cls, delivery: Delivery, *, with_address: bool) -> "DeliveryView":
        return cls(
            delivery_id=delivery.delivery_id,
            case_id=delivery.case_id,
            site=delivery.site,
            recipient_role=delivery.recipient_role,
            recipient_address=delivery.recipient_address if with_address else None,
            channel=delivery.channel,
            language=delivery.language,
            template=delivery.template,
            status=delivery.status,
            attempts=delivery.attempts,
            last_error=delivery.last_error,
            created_at=delivery.created_at,
            sent_at=delivery.sent_at,
        )


class TemplateView(BaseModel):
    model_config = ConfigDict(frozen=True)

    template: str
    event_type: str
    languages: list[Language]
    fallback_language: Language
