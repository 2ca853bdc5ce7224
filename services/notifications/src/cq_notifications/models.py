"""Every table of the service, for Alembic's metadata (env.py imports this module).

`cq_shared.messaging.tables` brings the outbox (DeliverySent/DeliveryFailed) and the inbox.
"""

import cq_shared.messaging.tables  # noqa: F401 - registers outbox and inbox on the metadata
from cq_notifications.deliveries.models import Delivery, ParkedEvent, SeriesSeen
from cq_notifications.recipients.models import CaseRecipient, NotifiedCase
from cq_notifications.staff.models import StaffContact
from cq_notifications.webhooks.models import WebhookDelivery, WebhookEvent, WebhookSubscription

__all__ = [
    "CaseRecipient",
    "Delivery",
    "NotifiedCase",
    "ParkedEvent",
    "SeriesSeen",
    "StaffContact",
    "WebhookDelivery",
    "WebhookEvent",
    "WebhookSubscription",
]
