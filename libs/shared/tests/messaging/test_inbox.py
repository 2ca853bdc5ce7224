"""The inbox: one effect per event, however often Kafka delivers it."""

import signal
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition
from sqlalchemy import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_devstack.stack import Infrastructure
from cq_shared.events.envelope import Envelope
from cq_shared.messaging.inbox import InboxConsumer, Outcome, Record
from cq_shared.messaging.producer import idempotent_producer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.settings import KafkaSettings
from cq_testing import count, eventually, produce_raw

from .support import catalogue_for, effects, prepared_database, widget_event

CONSUMER = Path(__file__).with_name("consumer_process.py")


def envelope_for(payload: dict[str, Any], event_type: str) -> Envelope:
    from datetime import UTC, datetime

    return Envelope(
        id=str(uuid.uuid4()),
        source="/sites/muenster/intake",
        type=event_type,
        subject=str(payload.get("widget_id", "w")),
        time=datetime.now(UTC),
        site="muenster",
        data=payload,
    )


async def test_the_same_event_delivered_twice_has_one_effect(
    infrastructure: Infrastructure, fresh_database_url: str, unique_topic: str
) -> None:
    database = await prepared_database(fresh_database_url)
    widget = widget_event(unique_topic)
    producer = idempotent_producer(KafkaSettings())
    await producer.start()
    consumer = InboxConsumer(
        name="test-dedup", database=database, dlq_producer=producer, events=catalogue_for(widget)
    )

    @consumer.handles(widget)
    async def record_effect(session: AsyncSession, event: ReceivedEvent[Any]) -> None:
        await session.execute(insert(effects).values(event_id=event.envelope.id))

    envelope = envelope_for({"widget_id": "w1", "sequence": 1, "colour": "red"}, widget.event_type)
    record = Record(unique_topic, 0, 7, b"w1", envelope.kafka_value(), envelope.kafka_headers())
    try:
        first = await consumer.process(record)
        second = await consumer.process(record)
    finally:
        await producer.stop()

    assert (first, second) == (Outcome.PROCESSED, Outcome.DEDUPLICATED)
    assert await count(database, "SELECT count(*) FROM test_effects") == 1
    assert await count(database, "SELECT count(*) FROM inbox") == 1
    await database.dispose()


async def committed_offset(bootstrap: str, group: str, topic: str) -> int:
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        total = 0
        for partition in range(3):
            offset = await consumer.committed(TopicPartition(topic, partition))
            total += offset or 0
        return total
    finally:
        await consumer.stop()


async def test_consumer_killed_between_database_commit_and_offset_commit_has_one_effect(
    infrastructure: Infrastructure, fresh_database_url: str, unique_topic: str
) -> None:
    bootstrap = infrastructure.kafka.bootstrap_servers
    database = await prepared_database(fresh_database_url)
    widget = widget_event(unique_topic)
    envelope = envelope_for({"widget_id": "w1", "sequence": 1, "colour": "red"}, widget.event_type)
    await produce_raw(bootstrap, unique_topic, envelope.kafka_value(), envelope.kafka_headers())
    group = "crash-" + uuid.uuid4().hex[:6]
    args = [sys.executable, str(CONSUMER), fresh_database_url, bootstrap, unique_topic, group]

    dying = subprocess.Popen([*args, "--die-after-commit"])
    assert dying.wait(60) == -signal.SIGKILL
    assert await count(database, "SELECT count(*) FROM test_effects") == 1
    assert await committed_offset(bootstrap, group, unique_topic) == 0  # not acknowledged

    survivor = subprocess.Popen(args)
    try:
        await eventually(
            lambda: committed_offset(bootstrap, group, unique_topic),
            "the restarted consumer to settle the event",
            until=lambda offset: offset >= 1,
            interval=0.3,
        )
    finally:
        survivor.send_signal(signal.SIGTERM)
        survivor.wait(20)

    assert await count(database, "SELECT count(*) FROM test_effects") == 1
    assert await count(database, "SELECT count(*) FROM inbox") == 1
    await database.dispose()
