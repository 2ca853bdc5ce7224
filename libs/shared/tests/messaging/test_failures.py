"""Failures: poison messages go to the DLQ at once, transient ones are retried with growing
delays, hopeless ones end in the DLQ, and the re-drive command brings them back."""

import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from faststream.kafka import KafkaBroker
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_devstack.stack import Infrastructure
from cq_shared.db.database import Database
from cq_shared.messaging.connection import faststream_security
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.messaging.redrive import redrive
from cq_shared.messaging.retry import RetryPolicy
from cq_shared.messaging.subscription import attach
from cq_shared.settings import KafkaSettings
from cq_testing import count, eventually, header, produce_raw, read_all

from .support import Widget, effect_of, inbox_consumer, recording_effects, started_producer
from .test_inbox import envelope_for

FAST_RETRIES = RetryPolicy(max_attempts=3, base_seconds=0.2, max_seconds=2.0)


@asynccontextmanager
async def running(consumer: InboxConsumer, bootstrap: str) -> AsyncIterator[None]:
    broker = KafkaBroker(
        bootstrap, security=faststream_security(KafkaSettings(bootstrap_servers=bootstrap))
    )
    attach(consumer, broker)
    await broker.start()
    try:
        yield
    finally:
        await broker.stop()


async def wait_for(database: Database, sql: str, expected: int) -> int:
    return await eventually(
        lambda: count(database, sql), sql, until=lambda value: value >= expected, timeout=30
    )


async def test_poison_messages_go_to_the_dlq_and_the_next_good_one_is_processed(
    infrastructure: Infrastructure, database: Database, widget: Widget, unique_topic: str
) -> None:
    bootstrap = infrastructure.kafka.bootstrap_servers
    good = envelope_for({"widget_id": "w1", "sequence": 1, "colour": "red"}, widget.event_type)
    unknown = envelope_for({"widget_id": "w1"}, "de.drk.carequartier.test.nobody.knows.v1")
    invalid = envelope_for({"widget_id": "w1", "sequence": "many"}, widget.event_type)
    # One key, so the order on the partition is exactly this.
    await produce_raw(bootstrap, unique_topic, b"{not json", good.kafka_headers())
    await produce_raw(bootstrap, unique_topic, unknown.kafka_value(), unknown.kafka_headers())
    await produce_raw(bootstrap, unique_topic, invalid.kafka_value(), invalid.kafka_headers())
    await produce_raw(bootstrap, unique_topic, good.kafka_value(), good.kafka_headers())

    async with started_producer() as producer:
        name = "poison-" + uuid.uuid4().hex[:6]
        consumer = inbox_consumer(name, database, producer, widget, retry=FAST_RETRIES)
        async with running(recording_effects(consumer, widget), bootstrap):
            processed = await wait_for(database, "SELECT count(*) FROM test_effects", 1)

    assert processed == 1
    dead = await read_all(bootstrap, unique_topic + ".dlq", expected=3)
    assert [header(r, "dlq_reason") for r in dead] == ["not_json", "unknown_type", "schema_invalid"]
    assert all(header(r, "dlq_source_topic") == unique_topic for r in dead)
    assert [header(r, "dlq_source_offset") for r in dead] == ["0", "1", "2"]
    assert dead[2].value == invalid.kafka_value()  # the record is kept as it was
    reason = header(dead[2], "dlq_error") or ""
    assert "sequence" in reason  # the field...
    assert "many" not in reason  # ...never the value


async def test_a_handler_that_fails_twice_is_retried_with_growing_delays(
    infrastructure: Infrastructure, database: Database, widget: Widget, unique_topic: str
) -> None:
    bootstrap = infrastructure.kafka.bootstrap_servers
    attempts: list[float] = []
    event = envelope_for({"widget_id": "w2", "sequence": 1, "colour": "red"}, widget.event_type)
    await produce_raw(bootstrap, unique_topic, event.kafka_value(), event.kafka_headers())
    async with started_producer() as producer:
        name = "flaky-" + uuid.uuid4().hex[:6]
        consumer = inbox_consumer(name, database, producer, widget, retry=FAST_RETRIES)

        @consumer.handles(widget)
        async def flaky(session: AsyncSession, event: ReceivedEvent[Any]) -> None:
            attempts.append(time.monotonic())
            await session.execute(effect_of(event))
            if len(attempts) < 3:
                raise ConnectionError("the downstream is briefly away")

        async with running(consumer, bootstrap):
            processed = await wait_for(database, "SELECT count(*) FROM test_effects", 1)

    assert processed == 1  # the failed attempts' writes were rolled back
    assert len(attempts) == 3
    first_delay, second_delay = attempts[1] - attempts[0], attempts[2] - attempts[1]
    assert 0.1 <= first_delay < second_delay


async def test_a_handler_that_always_fails_ends_in_the_dlq_and_redrive_brings_it_back(
    infrastructure: Infrastructure, database: Database, widget: Widget, unique_topic: str
) -> None:
    bootstrap = infrastructure.kafka.bootstrap_servers
    state = {"broken": True, "attempts": 0}
    event = envelope_for({"widget_id": "w3", "sequence": 1, "colour": "red"}, widget.event_type)
    await produce_raw(bootstrap, unique_topic, event.kafka_value(), event.kafka_headers())
    async with started_producer() as producer:
        consumer = inbox_consumer(
            "broken-" + uuid.uuid4().hex[:6],
            database,
            producer,
            widget,
            retry=RetryPolicy(max_attempts=3, base_seconds=0.05, max_seconds=0.2),
        )

        @consumer.handles(widget)
        async def until_fixed(session: AsyncSession, event: ReceivedEvent[Any]) -> None:
            if state["broken"]:
                state["attempts"] += 1
                raise RuntimeError("a bug that a deployment will fix")
            await session.execute(effect_of(event))

        async with running(consumer, bootstrap):
            [dead] = await read_all(bootstrap, unique_topic + ".dlq", expected=1)
            assert header(dead, "dlq_reason") == "handler_failed"
            assert header(dead, "dlq_attempts") == "3"
            assert state["attempts"] == 3
            assert await count(database, "SELECT count(*) FROM test_effects") == 0

            state["broken"] = False  # the fix is deployed
            result = await redrive(unique_topic, KafkaSettings(bootstrap_servers=bootstrap))
            processed = await wait_for(database, "SELECT count(*) FROM test_effects", 1)
            again = await redrive(unique_topic, KafkaSettings(bootstrap_servers=bootstrap))

    assert result.redriven == 1
    assert processed == 1
    assert again.redriven == 0  # a second run does not re-drive the same letter
