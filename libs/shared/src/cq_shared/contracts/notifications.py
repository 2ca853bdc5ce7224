"""Events of the notifications service (topic `notifications.deliveries`, key = case id)."""

from typing import ClassVar
from uuid import UUID

from cq_shared.contracts.common import PREFIX, CaseEvent, ErasureCompleted, Language, RecipientRole
from cq_shared.events.catalogue import catalogue
from cq_shared.events.topics import TopicSpec

DELIVERIES_TOPIC = catalogue.declare_topic(
    TopicSpec("notifications.deliveries", owner="notifications", readers=("intake",))
)


@catalogue.register
class DeliverySent(CaseEvent):
    event_type: ClassVar[str] = f"{PREFIX}.notifications.delivery.sent.v1"
    topic: ClassVar[str] = DELIVERIES_TOPIC

    delivery_id: UUID
    recipient_role: RecipientRole
    channel: str
    language: Language
    template: str


@catalogue.register
class DeliveryFailed(CaseEvent):
    event_type: ClassVar[str] = f"{PREFIX}.notifications.delivery.failed.v1"
    topic: ClassVar[str] = DELIVERIES_TOPIC

    delivery_id: UUID
    recipient_role: RecipientRole
    channel: str
    template: str
    reason: str


@catalogue.register
class NotificationsErasureCompleted(ErasureCompleted):
    event_type: ClassVar[str] = f"{PREFIX}.notifications.erasure.completed.v1"
    topic: ClassVar[str] = DELIVERIES_TOPIC
