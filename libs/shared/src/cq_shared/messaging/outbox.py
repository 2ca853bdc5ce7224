"""Writing events: into the outbox, inside the caller's transaction."""

import uuid

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.clock import Clock, SystemClock
from cq_shared.events.payload import EventPayload
from cq_shared.telemetry.tracing import current_traceparent

NOTIFY_CHANNEL = "carequartier_outbox"

# One round trip per event. The CTE runs first: the key's transaction-scoped advisory lock is
# held BEFORE the row draws its id from the sequence, so concurrent writers of one aggregate
# insert and commit in the same order, and id order (the relay's publishing order) is commit
# order for every key. The notification reaches the relay only if the transaction commits;
# identical ones in a transaction fold into one.
_ADD = text(
    """
    WITH locked AS MATERIALIZED (
        SELECT pg_advisory_xact_lock(hashtextextended(:key, 0)), pg_notify(:channel, '')
    )
    INSERT INTO outbox (event_id, topic, message_key, event_type, source, subject, site,
                        occurred_at, data, traceparent)
    SELECT CAST(:event_id AS uuid), :topic, :key, :event_type, :source, :key, :site,
           CAST(:occurred_at AS timestamptz), CAST(:data AS jsonb), :traceparent
    FROM locked
    """
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
        await session.execute(
            _ADD,
            {
                "key": subject,
                "channel": NOTIFY_CHANNEL,
                "event_id": event_id,
                "topic": payload.topic,
                "event_type": payload.event_type,
                "source": self.source_for(site),
                "site": site,
                "occurred_at": self.clock.now(),
                # pydantic's own serializer: the same JSON as model_dump(mode="json"), as text
                "data": payload.model_dump_json(),
                "traceparent": current_traceparent(),
            },
        )
        return event_id
