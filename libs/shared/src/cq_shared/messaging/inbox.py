"""Consuming events effectively once.

For every record: decode it (or dead-letter it at once), then in ONE transaction record
(consumer, source, id) in the inbox and run the handler; only after that commit is the Kafka
offset acknowledged. A redelivered event finds its inbox row and has no second effect.
Transient failures are retried in place with backoff and jitter (the partition waits, so a
key's order holds); after the last attempt the record goes to `<topic>.dlq` and the consumer
moves on.

Records fetched together are applied in one transaction (`process_batch`): one commit and one
offset commit for many events. If any handler in the batch fails, the batch is rolled back and
its records are applied one by one, the failing one with its retries, in their order.
"""

import asyncio
import logging
import time
from collections import Counter
from collections.abc import Awaitable, Callable, Sequence
from contextlib import AbstractContextManager
from enum import StrEnum
from typing import Any, TypeVar

from aiokafka import AIOKafkaProducer
from opentelemetry import trace
from opentelemetry.trace import SpanKind
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.db.database import Database
from cq_shared.events.catalogue import EventCatalogue, catalogue
from cq_shared.events.payload import EventPayload
from cq_shared.messaging.decoding import Decoded, Ignored, decode
from cq_shared.messaging.dlq import DeadLetter, send_to_dlq
from cq_shared.messaging.outage import is_outage
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.messaging.record import Handler, Record, Route, single
from cq_shared.messaging.retry import PermanentError, RetryPolicy
from cq_shared.telemetry.metrics import messaging_metrics
from cq_shared.telemetry.tracing import extract_context, producer_link

log = logging.getLogger(__name__)
tracer = trace.get_tracer("cq_shared.inbox")

P = TypeVar("P", bound=EventPayload)
CommitHook = Callable[[ReceivedEvent[Any]], Awaitable[None]]
BatchFunction = Callable[[AsyncSession, Sequence[ReceivedEvent[P]]], Awaitable[None]]

# One statement for a whole batch, whatever its size: arrays unnested server-side. A multi-row
# VALUES insert would be compiled anew for every batch size (the profile showed SQLAlchemy's
# compiler as the inbox's largest cost); this text is compiled once and cached.
_CLAIM_MANY = text(
    "INSERT INTO inbox (consumer, source, event_id, event_type) "
    "SELECT :consumer, source, event_id, event_type FROM unnest("
    "CAST(:sources AS text[]), CAST(:ids AS text[]), CAST(:types AS text[])"
    ") AS claimed(source, event_id, event_type) "
    "ON CONFLICT DO NOTHING RETURNING source, event_id"
)

__all__ = ["Handler", "InboxConsumer", "Outcome", "Record"]


class Outcome(StrEnum):
    PROCESSED = "processed"
    DEDUPLICATED = "deduplicated"
    DEAD_LETTERED = "dead_lettered"
    IGNORED = "ignored"  # a known type this consumer has no handler for
    NOT_SERVED = "not_served"  # about a site this service does not run for (site catalogue)


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
        serves: Callable[[str], bool] | None = None,
        one_at_a_time: bool = False,
    ) -> None:
        self.name = name
        self.database = database
        self.dlq_producer = dlq_producer
        self.retry = retry or RetryPolicy()
        self.events = events
        self.on_committed = on_committed
        # The unserved-site rule, the same in every service: an event about a site this
        # service does not run for is nobody's failure (a network's sites need not run every
        # service), so it is skipped and counted, never retried or dead-lettered.
        self.serves = serves
        # Each event in a transaction of its own, for a consumer whose handlers take locks
        # that another consumer takes too: a transaction holding one case's locks cannot be
        # part of a deadlock cycle with another's multi-case batch.
        self.one_at_a_time = one_at_a_time
        self._routes: dict[str, Route] = {}
        self._topics: set[str] = set()

    def handles(
        self, model: type[P], *, topic: str | None = None
    ) -> Callable[[Callable[[AsyncSession, ReceivedEvent[P]], Awaitable[None]]], Handler]:
        """Decorator: run the function for each event of `model`'s type, read from the
        model's topic (or `topic`, e.g. a replay or benchmark topic)."""

        def register(
            function: Callable[[AsyncSession, ReceivedEvent[P]], Awaitable[None]],
        ) -> Handler:
            self._route(model, topic, single(function))
            return function

        return register

    def handles_batch(
        self, model: type[P], *more: type[EventPayload], topic: str | None = None
    ) -> Callable[[BatchFunction[P]], BatchFunction[P]]:
        """Decorator: run the function once for each run of consecutive fresh events of the
        given types in a fetched batch (in their order, duplicates already removed).

        For handlers whose per-event work can be done for many events with a few statements.
        Several types registered together share their runs (e.g. all news for one audience).
        If the call fails, its events are retried one at a time (a call with one event each),
        so a poison event is dead-lettered alone.
        """

        def register(function: BatchFunction[P]) -> BatchFunction[P]:
            route = Route(function, batched=True)
            models: tuple[type[EventPayload], ...] = (model, *more)
            for each in models:
                self._route(each, topic, route)
            return function

        return register

    def _route(self, model: type[EventPayload], topic: str | None, route: Route) -> None:
        self._routes[model.event_type] = route
        self._topics.add(topic or model.topic)

    @property
    def topics(self) -> list[str]:
        return sorted(self._topics)

    async def process(self, record: Record) -> Outcome:
        """Handle one record completely; when this returns, its offset may be committed."""
        [outcome] = await self.process_batch([record])
        return outcome

    async def process_batch(self, records: Sequence[Record]) -> list[Outcome]:
        """Handle records in order; when this returns, all their offsets may be committed."""
        outcomes: list[Outcome] = []
        ready: list[Decoded] = []
        for record in records:
            decoded = decode(record, self.events, self._routes)
            if isinstance(decoded, DeadLetter):
                outcomes.append(await self._dead_letter(record, decoded))
            elif isinstance(decoded, Ignored):
                messaging_metrics().consumed(record.topic, self.name, Outcome.IGNORED)
                outcomes.append(Outcome.IGNORED)
            elif self.serves is not None and not self.serves(decoded.event.envelope.site):
                log.info(
                    "consumer %s skips an event of site %s: not served here",
                    self.name,
                    decoded.event.envelope.site,
                )
                messaging_metrics().consumed(record.topic, self.name, Outcome.NOT_SERVED)
                outcomes.append(Outcome.NOT_SERVED)
            else:
                ready.append(decoded)
        if ready and self.one_at_a_time:
            outcomes += [await self._apply_with_retries(item) for item in ready]
        elif ready:
            outcomes += await self._apply_together(ready)
        return outcomes

    async def _apply_together(self, ready: list[Decoded]) -> list[Outcome]:
        if len(ready) == 1:
            return [await self._apply_with_retries(ready[0])]
        failed_at = -1
        started = time.perf_counter()
        try:
            async with self.database.unit_of_work() as session:
                fresh = await self._claim(session, [item.event for item in ready])
                outcomes: list[Outcome] = []
                pending: list[int] = []  # indexes of fresh events not yet handed over
                for index, item in enumerate(ready):
                    identity = (item.event.envelope.source, item.event.envelope.id)
                    if identity not in fresh:
                        outcomes.append(Outcome.DEDUPLICATED)
                        continue
                    fresh.discard(identity)  # the same event twice in one batch applies once
                    outcomes.append(Outcome.PROCESSED)
                    pending.append(index)
                for run in _runs(ready, pending):
                    # Charge the failing event an attempt only if it ran alone (a batched
                    # call does not say which of its events failed).
                    failed_at = run[0] if len(run) == 1 else -1
                    items = [ready[index] for index in run]
                    with self._span(items):
                        await items[0].route.handler(session, [item.event for item in items])
                failed_at = -1  # a failing commit is no single event's fault
        except Exception as error:
            if is_outage(error):
                raise  # nothing can be applied now: the subscription re-reads the batch later
            log.info(
                "consumer %s: a batch of %s failed (%s); applying its events one by one",
                self.name,
                len(ready),
                _error_type(error),
            )
            return await self._apply_one_by_one(ready, failed_at)
        await self._settled(ready, outcomes, (time.perf_counter() - started) / len(ready))
        return outcomes

    async def _apply_one_by_one(self, ready: list[Decoded], failed_at: int) -> list[Outcome]:
        outcomes = []
        for index, item in enumerate(ready):
            # The failing record already used its first attempt inside the batch.
            first_attempt = 2 if index == failed_at else 1
            outcomes.append(await self._apply_with_retries(item, first_attempt=first_attempt))
        return outcomes

    async def _apply_with_retries(self, item: Decoded, *, first_attempt: int = 1) -> Outcome:
        metrics = messaging_metrics()
        record, event = item.record, item.event
        attempt = first_attempt
        if attempt > 1:
            metrics.retried(self.name, event.envelope.type)
            await asyncio.sleep(self.retry.delay_before(attempt))
        while True:
            started = time.perf_counter()
            try:
                with self._span([item]):
                    outcome = await self._apply_once(item)
            except PermanentError as error:
                return await self._dead_letter(
                    record, DeadLetter("permanent", _describe(error), attempt)
                )
            except Exception as error:
                if is_outage(error):
                    raise  # not this event's fault: do not spend its attempts or dead-letter it
                if attempt >= self.retry.max_attempts:
                    log.warning(
                        "handler failed %s times (%s), dead-lettering event %s",
                        attempt,
                        type(error).__name__,  # the type only: messages can quote data
                        event.envelope.id,
                    )
                    return await self._dead_letter(
                        record, DeadLetter("handler_failed", _describe(error), attempt)
                    )
                metrics.retried(self.name, event.envelope.type)
                attempt += 1
                await asyncio.sleep(self.retry.delay_before(attempt))
                continue
            await self._settled([item], [outcome], time.perf_counter() - started)
            return outcome

    async def _settled(
        self, items: list[Decoded], outcomes: list[Outcome], seconds_each: float
    ) -> None:
        """After the commit: metrics (counted once per label set, not per event), and the
        hook (which may rely on the commit)."""
        metrics = messaging_metrics()
        counted = Counter(
            (item.record.topic, item.event.envelope.type, outcome)
            for item, outcome in zip(items, outcomes, strict=True)
        )
        for (topic, event_type, outcome), n in counted.items():
            metrics.observe_handler(self.name, event_type, seconds_each, n)
            metrics.consumed(topic, self.name, outcome, n)
            if outcome is Outcome.DEDUPLICATED:
                metrics.deduplicated(self.name, n)
        if self.on_committed is not None:
            for item, outcome in zip(items, outcomes, strict=True):
                if outcome is Outcome.PROCESSED:
                    await self.on_committed(item.event)

    async def _apply_once(self, item: Decoded) -> Outcome:
        async with self.database.unit_of_work() as session:
            if not await self._claim(session, [item.event]):
                return Outcome.DEDUPLICATED
            await item.route.handler(session, [item.event])
        return Outcome.PROCESSED

    async def _claim(
        self, session: AsyncSession, events: Sequence[ReceivedEvent[Any]]
    ) -> set[tuple[str, str]]:
        """Insert inbox rows; return the (source, id) pairs that were new (not yet applied)."""
        envelopes = [event.envelope for event in events]
        result = await session.execute(
            _CLAIM_MANY,
            {
                "consumer": self.name,
                "sources": [e.source for e in envelopes],
                "ids": [e.id for e in envelopes],
                "types": [e.type for e in envelopes],
            },
        )
        return {(source, event_id) for source, event_id in result.all()}

    def _span(self, items: list[Decoded]) -> AbstractContextManager[Any]:
        """One event: a child of its publish span. Several (a batched call): one span
        linked to each of their publish spans, as OpenTelemetry's messaging conventions
        describe batch processing."""
        first = items[0]
        attributes: dict[str, Any] = {
            "messaging.system": "kafka",
            "messaging.consumer.group.name": self.name,
            "cloudevents.event_type": first.event.envelope.type,
        }
        if len(items) == 1:
            attributes["messaging.message.id"] = first.event.envelope.id
            context = extract_context(first.record.headers)
            links: list[trace.Link] = []
        else:
            attributes["messaging.batch.message_count"] = len(items)
            context = None
            links = [
                link for item in items if (link := producer_link(item.record.headers)) is not None
            ]
        return tracer.start_as_current_span(
            f"process {first.record.topic}",
            context=context,
            kind=SpanKind.CONSUMER,
            links=links,
            # An exception's text can quote data; the span gets the error status only.
            record_exception=False,
            attributes=attributes,
        )

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


def _runs(ready: list[Decoded], pending: list[int]) -> list[list[int]]:
    """`pending` split into handler calls: consecutive events of one batched route
    together, every other event alone, all in their original order."""
    runs: list[list[int]] = []
    for index in pending:
        route = ready[index].route
        if runs and route.batched and ready[runs[-1][-1]].route is route:
            runs[-1].append(index)
        else:
            runs.append([index])
    return runs


def _error_type(error: BaseException) -> str:
    """The exception's type and, for a database error, its SQLSTATE's class name (e.g. a
    deadlock), never a message: driver messages can quote parameters."""
    original = getattr(error, "orig", None)
    if original is None:
        return type(error).__name__
    sqlstate = getattr(original, "sqlstate", None)
    driver_error = type(original.__cause__ or original).__name__
    return f"{type(error).__name__}/{driver_error}" + (f" SQLSTATE {sqlstate}" if sqlstate else "")


def _describe(error: BaseException) -> str:
    # The type and first line only: exception texts of drivers can quote parameters.
    first_line = str(error).splitlines()[0] if str(error) else ""
    return f"{type(error).__name__}: {first_line}"[:300]
