"""How much news is waiting for its recipients: a gauge operations can alert on.

A parked event is released when intake's registration arrives. One that stays parked means
a registration that never came (or could not be released): before parking, such an event
ended in the DLQ and was visible there; this keeps it visible."""

import asyncio

from prometheus_client import Gauge
from sqlalchemy import text

from cq_notifications.settings import NotificationsSettings
from cq_shared.service import ServiceContext
from cq_shared.telemetry.metrics import REGISTRY

PARKED_EVENTS = Gauge(
    "notifications_parked_events",
    "News waiting for its case's recipients: how many events (count) and the oldest one's "
    "age in seconds (oldest_age).",
    ["measure"],
    registry=REGISTRY,
)
_PARKED = text(
    "SELECT count(*), coalesce(EXTRACT(EPOCH FROM now() - min(parked_at)), 0) FROM parked_events"
)


async def parked_events_reporter(context: ServiceContext) -> None:
    """Background loop of the service (ServiceSpec.background)."""
    settings = NotificationsSettings()
    while True:
        async with context.database.unit_of_work() as session:
            count, oldest_seconds = (await session.execute(_PARKED)).one()
        PARKED_EVENTS.labels("count").set(int(count))
        PARKED_EVENTS.labels("oldest_age").set(float(oldest_seconds))
        await asyncio.sleep(settings.parked_report_seconds)
