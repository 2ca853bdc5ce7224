"""Writing events: into the outbox, inside the caller's transaction."""

import uuid
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.clock import Clock, SystemClock
from cq_shared.events.payload import EventPayload
from cq_shared.telemetry.tracing import current_traceparent

NOTIFY_CHANNEL = "carequartier_outbox"

# One round trip for any number of events. The CTE runs first: the transaction-scoped advisory
# locks of the events' keys (each distinct key once, in a fixed order so that two writers
# cannot deadlock on them) are held BEFORE the rows draw their ids from the sequence, so
# concurrent writers of one aggregate insert and commit in the same order, and id order (the
# relay's publishing order) is commit order for every key. Rows are inserted in the order
# given (ORDER BY ordinality), so a key's events keep their order within the batch too. The
# notification reaches the relay only if the transaction commits; identical ones in a
# transaction fold into one. The text never changes with the batch size: compiled once.
_ADD_MANY = text(
    """
    WITH locked AS MATERIALIZED (
        SELECT count(pg_advisory_xact_lock(hashtextextended(key, 0))) AS n,
               pg_notify(:channel, '') AS notified
        FROM (SELECT DISTINCT unnest(CAST(:keys AS text[])) AS key ORDER BY 1) AS keys
    )
    INSERT INTO outbox (event_id, topic, message_key, event_type, source, subject, site,
                        occurred_at, data, traceparent)
    SELECT e.event_id, e.topic, e.key, e.event_type, e.source, e.key, e.site,
           CAST(:occurred_at AS timestamptz), CAST(e.data AS jsonb), :traceparent
    FROM locked,
         unnest(CAST(:event_ids AS uuid[]), CAST(:topics AS text[]), CAST(:keys AS text[]),
                CAST(:event_types AS text[]), CAST(:sources AS text[]), CAST(:sites AS text[]),
                CAST(:datas AS text[]))
             WITH ORDINALITY AS e(event_id, topic, key, event_type, source, site, data, position)
    ORDER BY e.position
    """
)


@dataclass(frozen=True)
class Staged:
    """One event to stage: its payload, the aggregate it is about (the key) and its site."""

    payload: EventPayload
    subject: str
    site: str


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
        [event_id] = await self.add_many(session, [Staged(payload, subject, site)])
        return event_id

    async def add_many(self, session: AsyncSession, events: Sequence[Staged]) -> list[uuid.UUID]:
        """Stage several events with one statement (for batch handlers and set-wise paths),
        in the given order; each key's events keep that order on its partition."""
        if not events:
            return []
        event_ids = [uuid.uuid4() for _ in events]
        await session.execute(
            _ADD_MANY,
            {
                "channel": NOTIFY_CHANNEL,
                "event_ids": event_ids,
                "topics": [event.payload.topic for event in events],
                "keys": [event.subject for event in events],
                "event_types": [event.payload.event_type for event in events],
                "sources": [self.source_for(event.site) for event in events],
                "sites": [event.site for event in events],
                # pydantic's own serializer: the same JSON as model_dump(mode="json"), as text
                "datas": [event.payload.model_dump_json() for event in events],
                "occurred_at": self.clock.now(),
                "traceparent": current_traceparent(),
            },
        )
        return event_ids
