"""Batch handlers: consecutive fresh events of one type in one call, in order, deduplicated;
a failing call falls back to one event per call, so only the poison event is dead-lettered."""

from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_devstack.stack import Infrastructure
from cq_shared.events.payload import EventPayload
from cq_shared.messaging.inbox import InboxConsumer, Outcome, Record
from cq_shared.messaging.producer import idempotent_producer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.messaging.retry import RetryPolicy
from cq_shared.settings import KafkaSettings
from cq_testing import count, header, read_all

from .support import catalogue_for, effects, prepared_database, widget_event
from .test_inbox import envelope_for

NO_WAIT = RetryPolicy(max_attempts=2, base_seconds=0.01, max_seconds=0.02)


def widget_record(widget: type[EventPayload], topic: str, offset: int, colour: str) -> Record:
    payload = {"widget_id": f"w{offset}", "sequence": offset, "colour": colour}
    envelope = envelope_for(payload, widget.event_type)
    key = payload["widget_id"].encode()
    return Record(topic, 0, offset, key, envelope.kafka_value(), envelope.kafka_headers())


def batch_recorder(
    consumer: InboxConsumer, widget: type[EventPayload], calls: list[list[str]]
) -> None:
    @consumer.handles_batch(widget)
    async def record_all(session: AsyncSession, events: Sequence[ReceivedEvent[Any]]) -> None:
        calls.append([event.payload.colour for event in events])
        if any(event.payload.colour == "poison" for event in events):
            raise RuntimeError("this widget cannot be stored")
        rows = [{"event_id": event.envelope.id} for event in events]
        await session.execute(insert(effects), rows)


async def test_fresh_events_reach_a_batch_handler_in_one_call_in_order_without_duplicates(
    infrastructure: Infrastructure, fresh_database_url: str, unique_topic: str
) -> None:
    database = await prepared_database(fresh_database_url)
    widget = widget_event(unique_topic)
    producer = idempotent_producer(KafkaSettings())
    await producer.start()
    consumer = InboxConsumer(
        name="test-batch", database=database, dlq_producer=producer, events=catalogue_for(widget)
    )
    calls: list[list[str]] = []
    batch_recorder(consumer, widget, calls)
    earlier = widget_record(widget, unique_topic, 0, "grey")
    colours = ["red", "green", "blue", "amber"]
    fresh = [widget_record(widget, unique_topic, i + 1, c) for i, c in enumerate(colours)]
    try:
        assert await consumer.process(earlier) is Outcome.PROCESSED
        # A redelivered event (already in the inbox) and one event fetched twice.
        outcomes = await consumer.process_batch([earlier, *fresh[:2], fresh[1], *fresh[2:]])
    finally:
        await producer.stop()

    assert outcomes == [
        Outcome.DEDUPLICATED,
        Outcome.PROCESSED,
        Outcome.PROCESSED,
        Outcome.DEDUPLICATED,
        Outcome.PROCESSED,
        Outcome.PROCESSED,
    ]
    assert calls == [["grey"], colours]
    assert await count(database, "SELECT count(*) FROM test_effects") == 5
    assert await count(database, "SELECT count(*) FROM inbox") == 5
    await database.dispose()


async def test_a_failing_batch_call_is_retried_one_event_at_a_time_and_only_the_poison_is_dead(
    infrastructure: Infrastructure, fresh_database_url: str, unique_topic: str
) -> None:
    database = await prepared_database(fresh_database_url)
    widget = widget_event(unique_topic)
    producer = idempotent_producer(KafkaSettings())
    await producer.start()
    consumer = InboxConsumer(
        name="test-batch-poison",
        database=database,
        dlq_producer=producer,
        events=catalogue_for(widget),
        retry=NO_WAIT,
    )
    calls: list[list[str]] = []
    batch_recorder(consumer, widget, calls)
    colours = ["red", "poison", "blue"]
    records = [widget_record(widget, unique_topic, i, c) for i, c in enumerate(colours)]
    try:
        outcomes = await consumer.process_batch(records)
    finally:
        await producer.stop()

    assert outcomes == [Outcome.PROCESSED, Outcome.DEAD_LETTERED, Outcome.PROCESSED]
    # The whole run once (rolled back), then each event alone; the poison one twice.
    assert calls == [colours, ["red"], ["poison"], ["poison"], ["blue"]]
    assert await count(database, "SELECT count(*) FROM test_effects") == 2
    assert await count(database, "SELECT count(*) FROM inbox") == 2
    [dead] = await read_all(infrastructure.kafka.bootstrap_servers, unique_topic + ".dlq", 1)
    assert header(dead, "dlq_reason") == "handler_failed"
    assert dead.value == records[1].value
    await database.dispose()


async def test_batched_and_single_handlers_in_one_batch_keep_the_records_order(
    infrastructure: Infrastructure, fresh_database_url: str, unique_topic: str
) -> None:
    database = await prepared_database(fresh_database_url)
    widget = widget_event(unique_topic)

    class GadgetChanged(EventPayload):
        event_type: ClassVar[str] = "de.drk.carequartier.test.gadget.changed.v1"
        topic: ClassVar[str] = unique_topic
        widget_id: str
        sequence: int
        colour: str

    producer = idempotent_producer(KafkaSettings())
    await producer.start()
    consumer = InboxConsumer(
        name="test-batch-mixed",
        database=database,
        dlq_producer=producer,
        events=catalogue_for(widget, GadgetChanged),
    )
    seen: list[str] = []

    @consumer.handles_batch(widget)
    async def widgets(session: AsyncSession, events: Sequence[ReceivedEvent[Any]]) -> None:
        seen.append("widgets " + " ".join(event.payload.colour for event in events))

    @consumer.handles(GadgetChanged)
    async def gadget(session: AsyncSession, event: ReceivedEvent[Any]) -> None:
        seen.append("gadget " + event.payload.colour)

    kinds = [widget, widget, GadgetChanged, widget, GadgetChanged, GadgetChanged]
    records = [widget_record(kind, unique_topic, i, f"c{i}") for i, kind in enumerate(kinds)]
    try:
        outcomes = await consumer.process_batch(records)
    finally:
        await producer.stop()

    assert outcomes == [Outcome.PROCESSED] * 6
    assert seen == ["widgets c0 c1", "gadget c2", "widgets c3", "gadget c4", "gadget c5"]
    await database.dispose()
