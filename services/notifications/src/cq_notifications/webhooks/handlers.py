"""Fan-out: every public event becomes one pending delivery per matching active
subscription, each with a timer for its first attempt (group `notifications.webhooks`)."""

from collections.abc import Sequence
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.webhooks import repository
from cq_notifications.webhooks.cloudevent import event_key, structured
from cq_notifications.webhooks.models import WebhookDeliveryStatus
from cq_notifications.webhooks.schedule import TIMER_KIND, timer_key
from cq_shared.events.catalogue import catalogue
from cq_shared.events.payload import EventPayload
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.retention.settings import RetentionSettings
from cq_shared.service import ServiceContext
from cq_shared.timers import schedule_timer

GROUP = "webhooks"


def public_models() -> list[type[EventPayload]]:
    return [catalogue.definition(t).model for t in catalogue.public_event_types()]


def webhooks_consumer(context: ServiceContext) -> InboxConsumer:
    consumer = context.inbox_consumer(GROUP)
    # Webhooks forward the network's public facts about every site, whichever services a
    # site runs; the unserved-site rule is about this service's own work for a site.
    consumer.serves = None
    models = public_models()
    if not models:
        return consumer

    @consumer.handles_batch(models[0], *models[1:])
    async def fan_out(session: AsyncSession, events: Sequence[ReceivedEvent[Any]]) -> None:
        await deliver_later(session, events, context)

    return consumer


async def deliver_later(
    session: AsyncSession, events: Sequence[ReceivedEvent[Any]], context: ServiceContext
) -> None:
    now = context.clock.now()
    made = await repository.fan_out(
        session,
        [
            {
                "event_id": event_key(event.envelope),
                "source": event.envelope.source,
                "ce_id": event.envelope.id,
                "event_type": event.envelope.type,
                "site": event.envelope.site,
                "body": structured(event.envelope),
                "time": event.envelope.time,
            }
            for event in events
        ],
        now,
        oldest=now - RetentionSettings().inbox,
    )
    # Public events are few (a site's availability changes, one daily count), and most have
    # a handful of subscribers: a statement per timer is cheap here.
    for row in made:
        if row.status != WebhookDeliveryStatus.PENDING:
            continue  # paused: its subscription is disabled; enabling it sends it
        await schedule_timer(
            session,
            key=timer_key(row.delivery_id, 1),
            kind=TIMER_KIND,
            at=now,
            payload={"delivery_id": str(row.delivery_id), "attempt": 1},
            site=row.site,
        )
