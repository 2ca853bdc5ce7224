"""Batch handlers: consecutive fresh events of one type in one call, in order, deduplicated;
a failing call falls back to one event per call, so only the poison event is dead-lettered."""

from collections.abc import Sequence
from typing import Any, ClassVar

from sqlalchemy import insert, text
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_devstack.stack import Infrastructure
from cq_shared.db.database import Database
from cq_shared.events.payload import EventPayload
from cq_shared.messaging.inbox import InboxConsumer, Outcome, Record
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.messaging.retry import RetryPolicy
from cq_testing import count, header, read_all

from .support import Widget, effects, inbox_consumer, started_producer
from .test_inbox import envelope_for

NO_WAIT = RetryPolicy(max_attempts=2, base_seconds=0.01, max_seconds=0.02)


def widget_record(widget: Widget, topic: str, offset: int, colour: str) -> Record:
    payload = {"widget_id": f"w{offset}", "sequence": offset, "colour": colour}
    envelope = envelope_for(payload, widget.event_type)
    key = payload["widget_id"].encode()
    return Record(topic, 0, offset, key, envelope.kafka_value(), envelope.kafka_headers())


def batch_recorder(consumer: InboxConsumer, widget: Widget, calls: list[list[str]]) -> None:
    @consumer.handles_batch(widget)
    async def record_all(session: AsyncSession, events: Sequence[ReceivedEvent[Any]]) -> None:
        calls.append([event.payload.colour for event in events])
        if any(event.payload.colour == "poison" for event in events):
            raise RuntimeError("this widget cannot be stored")
        rows = [{"event_id": event.envelope.id} for event in events]
        await session.execute(insert(effects), rows)


async def test_fresh_events_reach_a_batch_handler_in_one_call_in_order_without_duplicates(
    database: Database, widget: Widget, unique_topic: str
) -> None:
    calls: list[list[str]] = []
    earlier = widget_record(widget, unique_topic, 0, "grey")
    colours = ["red", "green", "blue", "amber"]
    fresh = [widget_record(widget, unique_topic, i + 1, c) for i, c in enumerate(colours)]
    async with started_producer() as producer:
        consumer = inbox_consumer("test-batch", database, producer, widget)
        batch_recorder(consumer, widget, calls)
        assert await consumer.process(earlier) is Outcome.PROCESSED
        # A redelivered event (already in the inbox) and one event fetched twice.
        outcomes = await consumer.process_batch([earlier, *fresh[:2], fresh[1], *fresh[2:]])

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


async def test_a_failing_batch_call_is_retried_one_event_at_a_time_and_only_the_poison_is_dead(
    infrastructure: Infrastructure, database: Database, widget: Widget, unique_topic: str
) -> None:
    calls: list[list[str]] = []
    colours = ["red", "poison", "blue"]
    records = [widget_record(widget, unique_topic, i, c) for i, c in enumerate(colours)]
    async with started_producer() as producer:
        consumer = inbox_consumer("test-batch-poison", database, producer, widget, retry=NO_WAIT)
        batch_recorder(consumer, widget, calls)
        outcomes = await consumer.process_batch(records)

    assert outcomes == [Outcome.PROCESSED, Outcome.DEAD_LETTERED, Outcome.PROCESSED]
    # The whole run once (rolled back), then each event alone; the poison one twice.
    assert calls == [colours, ["red"], ["poison"], ["poison"], ["blue"]]
    assert await count(database, "SELECT count(*) FROM test_effects") == 2
    assert await count(database, "SELECT count(*) FROM inbox") == 2
    [dead] = await read_all(infrastructure.kafka.bootstrap_servers, unique_topic + ".dlq", 1)
    assert header(dead, "dlq_reason") == "handler_failed"
    assert dead.value == records[1].value


async def test_batched_and_single_handlers_in_one_batch_keep_the_records_order(
    database: Database, widget: Widget, unique_topic: str
) -> None:

    class GadgetChanged(EventPayload):
        event_type: ClassVar[str] = "de.drk.carequartier.test.gadget.changed.v1"
        topic: ClassVar[str] = unique_topic
        widget_id: str
        sequence: int
        colour: str

    seen: list[str] = []
    kinds = [widget, widget, GadgetChanged, widget, GadgetChanged, GadgetChanged]
    records = [widget_record(kind, unique_topic, i, f"c{i}") for i, kind in enumerate(kinds)]
    async with started_producer() as producer:
        consumer = inbox_consumer("test-batch-mixed", database, producer, widget, GadgetChanged)

        @consumer.handles_batch(widget)
        async def widgets(session: AsyncSession, events: Sequence[ReceivedEvent[Any]]) -> None:
            seen.append("widgets " + " ".join(event.payload.colour for event in events))

        @consumer.handles(GadgetChanged)
        async def gadget(session: AsyncSession, event: ReceivedEvent[Any]) -> None:
            seen.append("gadget " + event.payload.colour)

        outcomes = await consumer.process_batch(records)

    assert outcomes == [Outcome.PROCESSED] * 6
    assert seen == ["widgets c0 c1", "gadget c2", "widgets c3", "gadget c4", "gadget c5"]


async def test_a_one_at_a_time_consumer_applies_each_fetched_event_in_its_own_transaction(
    database: Database, widget: Widget, unique_topic: str
) -> None:
    """For consumers whose handlers lock what another consumer's batches lock too: one event,
    one transaction, so it never holds two events' locks at once."""
    transactions: list[int] = []
    records = [widget_record(widget, unique_topic, i, c) for i, c in enumerate(["a", "b", "c"])]
    async with started_producer() as producer:
        consumer = inbox_consumer("test-one-at-a-time", database, producer, widget)
        consumer.one_at_a_time = True

        @consumer.handles(widget)
        async def record(session: AsyncSession, event: ReceivedEvent[Any]) -> None:
            transactions.append((await session.execute(text("SELECT txid_current()"))).scalar_one())

        outcomes = await consumer.process_batch(records)
        batched = inbox_consumer("test-batched-together", database, producer, widget)
        batched_transactions: list[int] = []

        @batched.handles(widget)
        async def record_together(session: AsyncSession, event: ReceivedEvent[Any]) -> None:
            txid = (await session.execute(text("SELECT txid_current()"))).scalar_one()
            batched_transactions.append(txid)

        await batched.process_batch(records)

    assert outcomes == [Outcome.PROCESSED] * 3
    assert len(set(transactions)) == 3
    assert len(set(batched_transactions)) == 1  # the default: one transaction per fetch
