"""The `DeliveryFailed` events of deliveries that will never be sent (erasure, consent
withdrawn, a send that failed for good), staged for one `add_many`."""

from collections.abc import Sequence

from cq_notifications.deliveries.models import Delivery
from cq_notifications.deliveries.repository import DueDelivery
from cq_shared.contracts.notifications import DeliveryFailed
from cq_shared.messaging.outbox import Staged


def failures(cancelled: Sequence[Delivery | DueDelivery], reason: str) -> list[Staged]:
    """`DeliveryFailed` for each delivery that will never be sent, ready for `add_many`.
    None for a delivery about no case (a shift gap told to staff): the topic is a case's
    contact history, keyed by the case."""
    return [
        Staged(
            DeliveryFailed(
                delivery_id=delivery.delivery_id,
                case_id=case_id,
                site=delivery.site,
                recipient_role=delivery.recipient_role,
                channel=delivery.channel,
                template=delivery.template,
                reason=reason,
            ),
            str(case_id),
            delivery.site,
        )
        for delivery in cancelled
        if (case_id := delivery.case_id) is not None
    ]
