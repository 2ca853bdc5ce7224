"""Consuming events effectively once.

For every record: decode it (or dead-letter it at once), then in ONE transaction record
(consumer, source, id) in the inbox and run the handler; only after that commit is the Kafka
offset acknowledged. A redelivered event finds its inbox row and has no second effect.
Transient failures are retried in place with backoff and jitter (the partition waits, so a
key's order holds); after the last attempt the record goes to `<topic>.dlq` and the consumer
moves on.
"""

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, TypeVar

from aiokafka import AIOKafkaProducer
from opentelemetry import trace
from opentelemetry.trace import SpanKind
from pydantic import ValidationError
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.db.database import Database
from cq_shared.events.catalogue import EventCatalogue, UnknownEventTypeError, catalogue
from cq_shared.events.envelope import Envelope, EnvelopeError
from cq_shared.events.payload import EventPayload
from cq_shared.messaging.dlq import DeadLetter, send_to_dlq
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.messaging.retry import PermanentError, RetryPolicy
from cq_shared.telemetry.metrics import messaging_metrics
from cq_shared.telemetry.tracing import extract_context

log = logging.getLogger(__name__)
tracer = trace.get_tracer("cq_shared.inbox")

P = TypeVar("P", bound=EventPayload)
Handler = Callable[[AsyncSession, ReceivedEvent[Any]], Awaitable[None]]
CommitHook = Callable[[ReceivedEvent[Any]], Awaitable[None]]

_CLAIM = text(
    "INSERT INTO inbox (consumer, source, event_id, event_type) "
    "VALUES (:consumer, :source, :event_id, :event_type) "
    "ON CONFLICT DO NOTHING RETURNING 1"
)


class Outcome(StrEnum):
    PROCESSED = "processed"
    DEDUPLICATED = "deduplicated"
    DEAD_LETTERED = "dead_lettered"
    IGNORED = "ignored"  # a known type this consumer has no handler for


@dataclass(frozen=True)
class Record:
    """The parts of a consumed Kafka record the inbox needs (FastStream-independent)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]


class InboxConsumer:
    """One consumer group: its handlers by event type, its inbox and its DLQ producer."""

    def __init__(
        self,
        *,
        name: str,
        database: Database,
        dlq_producer: AIOKafkaProducer,
        retry: RetryPolicy | None = None,
        events: EventCatalogue = catalogue,
        on_committed: CommitHook | None = None,
    ) -> None:
        self.name = name
        self.database = database
        self.dlq_producer = dlq_producer
        self.retry = retry or RetryPolicy()
        self.events = events
        self.on_committed = on_committed
        self._handlers: dict[str, Handler] = {}
        self._topics: set[str] = set()

    def handles(
        self, model: type[P], *, topic: str | None = None
    ) -> Callable[[Callable[[AsyncSession, ReceivedEvent[P]], Awaitable[None]]], Handler]:
        """Decorator: run the function for events of `model`'s type, read from the model's
        topic (or `topic`, e.g. a replay or benchmark topic)."""

        def register(
            function: Callable[[AsyncSession, ReceivedEvent[P]], Awaitable[None]],
        ) -> Handler:
            self._handlers[model.event_type] = function
            self._topics.add(topic or model.topic)
            return function

        return register

    def subscribe_topic(self, topic: str) -> None:
        """Also read a topic without a registered handler (e.g. to dead-letter foreign types)."""
        self._topics.add(topic)

    @property
    def topics(self) -> list[str]:
        return sorted(self._topics)

    async def process(self, record: Record) -> Outcome:
        """Handle one record completely; when this returns, its offset may be committed."""
        try:
            envelope = Envelope.from_kafka(record.headers, record.value)
        except EnvelopeError as error:
            reason = "not_json" if "JSON" in str(error) else "invalid_envelope"
            return await self._dead_letter(record, DeadLetter(reason, str(error)))
        try:
            definition = self.events.definition(envelope.type)
        except UnknownEventTypeError:
            return await self._dead_letter(
                record,
                DeadLetter("unknown_type", f"no event type {envelope.type} in the catalogue"),
            )
        handler = self._handlers.get(envelope.type)
        if handler is None:
            messaging_metrics().consumed(record.topic, self.name, Outcome.IGNORED)
            return Outcome.IGNORED
        try:
            payload = definition.model.model_validate(envelope.data)
        except ValidationError as error:
            return await self._dead_letter(record, DeadLetter("schema_invalid", _fields(error)))
        event = ReceivedEvent(envelope, payload, record.topic, record.partition, record.offset)
        with tracer.start_as_current_span(
            f"process {record.topic}",
            context=extract_context(record.headers),
            kind=SpanKind.CONSUMER,
            attributes={
                "messaging.system": "kafka",
                "messaging.consumer.group.name": self.name,
                "messaging.message.id": envelope.id,
                "cloudevents.event_type": envelope.type,
            },
        ):
            return await self._apply_with_retries(record, event, handler)

    async def _apply_with_retries(
        self, record: Record, event: ReceivedEvent[Any], handler: Handler
    ) -> Outcome:
        metrics = messaging_metrics()
        attempt = 1
        while True:
            started = time.perf_counter()
            try:
                outcome = await self._apply_once(event, handler)
            except PermanentError as error:
                return await self._dead_letter(
                    record, DeadLetter("permanent", _describe(error), attempt)
                )
            except Exception as error:  # noqa: BLE001 - every other failure is retried
                if attempt >= self.retry.max_attempts:
                    log.warning(
                        "handler failed %s times, dead-lettering event %s",
                        attempt,
                        event.envelope.id,
                    )
                    return await self._dead_letter(
                        record, DeadLetter("handler_failed", _describe(error), attempt)
                    )
                metrics.retried(self.name, event.envelope.type)
                attempt += 1
                await asyncio.sleep(self.retry.delay_before(attempt))
                continue
            metrics.observe_handler(self.name, event.envelope.type, time.perf_counter() - started)
            metrics.consumed(record.topic, self.name, outcome)
            if outcome is Outcome.DEDUPLICATED:
                metrics.deduplicated(self.name)
            elif self.on_committed is not None:
                await self.on_committed(event)
            return outcome

    async def _apply_once(self, event: ReceivedEvent[Any], handler: Handler) -> Outcome:
        envelope = event.envelope
        async with self.database.unit_of_work() as session:
            claimed = (
                await session.execute(
                    _CLAIM,
                    {
                        "consumer": self.name,
                        "source": envelope.source,
                        "event_id": envelope.id,
                        "event_type": envelope.type,
                    },
                )
            ).first()
            if claimed is None:
                return Outcome.DEDUPLICATED
            await handler(session, event)
        return Outcome.PROCESSED

    async def _dead_letter(self, record: Record, letter: DeadLetter) -> Outcome:
        await send_to_dlq(
            self.dlq_producer,
            consumer=self.name,
            topic=record.topic,
            partition=record.partition,
            offset=record.offset,
            key=record.key,
            value=record.value,
            headers=record.headers,
            letter=letter,
        )
        messaging_metrics().consumed(record.topic, self.name, Outcome.DEAD_LETTERED)
        return Outcome.DEAD_LETTERED


def _fields(error: ValidationError) -> str:
    """Which fields failed and how, never their values (they may be health data)."""
    problems = [
        ".".join(str(part) for part in item["loc"]) + ": " + item["type"] for item in error.errors()
    ]
    return "schema validation failed: " + "; ".join(problems)


def _describe(error: BaseException) -> str:
    # The type and first line only: exception texts of drivers can quote parameters.
    first_line = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {first_line}"[:300]
