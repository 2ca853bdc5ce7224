"""The outbox relay: publishes committed outbox rows to Kafka, in order, at least once.

One relay per service database publishes at a time (a PostgreSQL advisory lock elects it), so
a key's events cannot overtake each other across two relays. It wakes on LISTEN/NOTIFY and
polls slowly as a safety net for a missed notification.
"""

import asyncio
import contextlib
import logging
import time
from collections import Counter
from collections.abc import Sequence
from typing import Any

import asyncpg
from aiokafka import AIOKafkaProducer
from opentelemetry import trace
from opentelemetry.trace import Span, SpanKind
from sqlalchemy import Row, text

from cq_shared.db.database import Database
from cq_shared.db.notify import plain_dsn
from cq_shared.events.envelope import attribute_headers
from cq_shared.events.topics import PUBLIC_PREFIX
from cq_shared.messaging.outbox import NOTIFY_CHANNEL
from cq_shared.settings import MessagingSettings
from cq_shared.telemetry.metrics import messaging_metrics
from cq_shared.telemetry.tracing import (
    TRACEPARENT_HEADER,
    context_from_traceparent,
    traceparent_of,
)

log = logging.getLogger(__name__)
tracer = trace.get_tracer("cq_shared.outbox")

# Any 64-bit number works; it only has to be the same for every relay of one database.
BACKLOG_REPORT_SECONDS = 5.0
RELAY_LOCK_ID = 0x0C0A_0BB0_0E1A_7001

_CLAIM_BATCH = text(
    """
    SELECT id, event_id, topic, message_key, event_type, source, subject, site,
           occurred_at, data::text AS data_json, traceparent, created_at
    FROM outbox
    WHERE published_at IS NULL
    ORDER BY id
    LIMIT :limit
    FOR UPDATE SKIP LOCKED
    """
)
_MARK_PUBLISHED = text("UPDATE outbox SET published_at = clock_timestamp() WHERE id = ANY(:ids)")
_BACKLOG = text(
    "SELECT count(*), EXTRACT(EPOCH FROM clock_timestamp() - min(created_at)) "
    "FROM outbox WHERE published_at IS NULL"
)


class OutboxRelay:
    def __init__(
        self,
        database: Database,
        producer: AIOKafkaProducer,
        settings: MessagingSettings | None = None,
    ) -> None:
        self.database = database
        self.producer = producer
        self.settings = settings or MessagingSettings()
        self._wake = asyncio.Event()
        self._backlog_reported_at = 0.0

    async def run(self) -> None:
        """Publish until cancelled. Holds the leader lock on a dedicated connection."""
        listener = await asyncpg.connect(plain_dsn(self.database.url))
        try:
            await listener.add_listener(NOTIFY_CHANNEL, self._on_notify)
            # Another relay of this database may hold the lock: poll for it (PostgreSQL does
            # not notify when an advisory lock is released).
            while not await listener.fetchval("SELECT pg_try_advisory_lock($1)", RELAY_LOCK_ID):  # noqa: ASYNC110
                await asyncio.sleep(self.settings.relay_poll_seconds)
            log.info("outbox relay is the leader for this database")
            await self._publish_until_cancelled(listener)
        finally:
            await listener.close()

    def _on_notify(self, *_: object) -> None:
        self._wake.set()

    async def _publish_until_cancelled(self, listener: asyncpg.Connection) -> None:
        while True:
            if listener.is_closed():
                # The leader lock went with the connection: another relay may lead by now.
                raise ConnectionError("the relay's lock connection closed")
            self._wake.clear()
            if time.monotonic() - self._backlog_reported_at >= BACKLOG_REPORT_SECONDS:
                # Before publishing, so a relay that keeps failing still shows its backlog
                # growing; throttled, since under load the query costs as much as a batch.
                await self._report_backlog()
                self._backlog_reported_at = time.monotonic()
            published = await self.publish_batch()
            if published >= self.settings.relay_batch_size:
                continue  # more is waiting: do not sleep
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.settings.relay_poll_seconds)

    async def publish_batch(self) -> int:
        """Claim, publish and mark one batch; a crash before the mark republishes it (at least
        once), never skips it."""
        async with self.database.unit_of_work() as session:
            rows = (
                await session.execute(_CLAIM_BATCH, {"limit": self.settings.relay_batch_size})
            ).all()
            if not rows:
                return 0
            await self._publish(rows)
            await session.execute(_MARK_PUBLISHED, {"ids": [row.id for row in rows]})
        return len(rows)

    async def _publish(self, rows: Sequence[Row[Any]]) -> None:
        pending = []
        for row in rows:
            # The span continues the trace of the request that wrote the row. It is started
            # without becoming the current span, and its traceparent is written straight into
            # the headers: this loop runs for every event, so it avoids the context machinery.
            span = tracer.start_span(
                f"publish {row.topic}",
                context=context_from_traceparent(row.traceparent),
                kind=SpanKind.PRODUCER,
                record_exception=False,
                attributes={
                    "messaging.system": "kafka",
                    "messaging.destination.name": row.topic,
                    "messaging.message.id": str(row.event_id),
                    "cloudevents.event_type": row.event_type,
                },
            )
            headers = attribute_headers(
                id=str(row.event_id),
                source=row.source,
                type=row.event_type,
                subject=row.subject,
                time=row.occurred_at,
                site=row.site,
            )
            headers += trace_headers(row.topic, span)
            try:
                # send() only enqueues; awaiting the futures together lets the producer batch.
                # The value is the row's JSON as PostgreSQL stored it: no decode and re-encode.
                pending.append(
                    await self.producer.send(
                        row.topic,
                        value=row.data_json.encode("utf-8"),
                        key=row.message_key.encode("utf-8"),
                        headers=headers,
                    )
                )
            finally:
                span.end()
        await asyncio.gather(*pending)
        self._count_published(rows, acked_at=time.time())

    @staticmethod
    def _count_published(rows: Sequence[Row[Any]], acked_at: float) -> None:
        metrics = messaging_metrics()
        for (topic, event_type), n in Counter((row.topic, row.event_type) for row in rows).items():
            metrics.published(topic, event_type, n)
        for row in rows:
            metrics.observe_publish_latency(max(0.0, acked_at - row.created_at.timestamp()))

    async def _report_backlog(self) -> None:
        async with self.database.unit_of_work() as session:
            count, oldest = (await session.execute(_BACKLOG)).one()
        messaging_metrics().set_outbox_state(int(count), float(oldest or 0.0))


def trace_headers(topic: str, span: Span) -> list[tuple[str, bytes]]:
    """The W3C trace context for the record: on internal topics, so a case's path can be
    followed across services; never on public ones (decision 0015), where one trace id on
    the several public events a single case caused would link them for a branch."""
    if topic.startswith(PUBLIC_PREFIX):
        return []
    traceparent = traceparent_of(span)
    return [] if traceparent is None else [(TRACEPARENT_HEADER, traceparent.encode("ascii"))]
