"""Writing events: into the outbox, inside the caller's transaction."""

import uuid

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.clock import Clock, SystemClock
from cq_shared.events.payload import EventPayload
from cq_shared.messaging.tables import OutboxMessage
from cq_shared.telemetry.tracing import current_traceparent

NOTIFY_CHANNEL = "carequartier_outbox"
_LOCK_KEY_AND_NOTIFY = text(
    "SELECT pg_advisory_xact_lock(hashtextextended(:key, 0)), pg_notify(:channel, '')"
)


class EventWriter:
    """Adds events to the outbox of one service. Nothing reaches Kafka unless the caller's
    transaction commits; the relay publishes it afterwards."""

    def __init__(self, service: str, clock: Clock | None = None) -> None:
        self.service = service
        self.clock = clock or SystemClock()

    def source_for(self, site: str) -> str:
        return f"/sites/{site}/{self.service}"

    async def add(
        self, session: AsyncSession, payload: EventPayload, *, subject: str, site: str
    ) -> uuid.UUID:
        """Stage `payload` as an event about aggregate `subject`; it is keyed by the subject,
        so all events of one aggregate keep their order."""
        event_id = uuid.uuid4()
        # Lock the key for the rest of the transaction BEFORE the row gets its id: concurrent
        # writers of one aggregate then insert and commit in the same order, so id order (the
        # relay's publishing order) is commit order for every key. The notification reaches
        # the relay only if the transaction commits; identical ones in a transaction fold.
        await session.execute(
            text(
                "SELECT pg_advisory_xact_lock(hashtextextended(:key, 0)), pg_notify(:channel, '')"
            ),
            {"key": subject, "channel": NOTIFY_CHANNEL},
        )
        session.add(
            OutboxMessage(
                event_id=event_id,
                topic=payload.topic,
                message_key=subject,
                event_type=payload.event_type,
                source=self.source_for(site),
                subject=subject,
                site=site,
                occurred_at=self.clock.now(),
                data=payload.model_dump(mode="json"),
                traceparent=current_traceparent(),
            )
        )
        return event_id
