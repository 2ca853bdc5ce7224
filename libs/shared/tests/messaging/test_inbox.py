"""The inbox: one effect per event, however often Kafka delivers it."""

import signal
import subprocess
import sys
import uuid
from dataclasses import replace
from pathlib import Path
from typing import Any

from aiokafka import AIOKafkaConsumer, TopicPartition

from cq_devstack.stack import Infrastructure
from cq_shared.db.database import Database
from cq_shared.events.envelope import Envelope
from cq_shared.messaging.connection import client_options
from cq_shared.messaging.inbox import Outcome, Record
from cq_shared.settings import KafkaSettings
from cq_testing import count, eventually, produce_raw

from .support import Widget, inbox_consumer, recording_effects, started_producer

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
    database: Database, widget: Widget, unique_topic: str
) -> None:
    envelope = envelope_for({"widget_id": "w1", "sequence": 1, "colour": "red"}, widget.event_type)
    record = Record(unique_topic, 0, 7, b"w1", envelope.kafka_value(), envelope.kafka_headers())
    async with started_producer() as producer:
        consumer = inbox_consumer("test-dedup", database, producer, widget)
        recording_effects(consumer, widget)
        first = await consumer.process(record)
        second = await consumer.process(record)

    assert (first, second) == (Outcome.PROCESSED, Outcome.DEDUPLICATED)
    assert await count(database, "SELECT count(*) FROM test_effects") == 1
    assert await count(database, "SELECT count(*) FROM inbox") == 1


async def test_an_event_of_a_site_the_service_does_not_run_for_is_skipped_and_counted(
    database: Database, widget: Widget, unique_topic: str
) -> None:
    """The unserved-site rule: no effect, no retry, no dead letter, an outcome of its own
    (counted as `not_served`), and the same event of a served site still applies."""
    payload = {"widget_id": "w1", "sequence": 1, "colour": "red"}
    elsewhere = envelope_for(payload, widget.event_type)  # a Münster event
    served = replace(elsewhere, id=str(uuid.uuid4()), site="zwenkau")
    records = [
        Record(unique_topic, 0, n, b"w1", e.kafka_value(), e.kafka_headers())
        for n, e in enumerate([elsewhere, served])
    ]
    skipped_before = metric_value("test-sites", "not_served")
    async with started_producer() as producer:
        serves_zwenkau = inbox_consumer(
            "test-sites", database, producer, widget, serves=lambda site: site == "zwenkau"
        )
        outcomes = await recording_effects(serves_zwenkau, widget).process_batch(records)

    assert outcomes == [Outcome.NOT_SERVED, Outcome.PROCESSED]
    assert await count(database, "SELECT count(*) FROM test_effects") == 1
    assert await count(database, "SELECT count(*) FROM inbox") == 1
    assert metric_value("test-sites", "not_served") == skipped_before + 1


def metric_value(consumer: str, outcome: str) -> float:
    from cq_shared.telemetry.registry import REGISTRY

    value = 0.0
    for family in REGISTRY.collect():
        for sample in family.samples:
            labels = sample.labels
            if (
                sample.name == "events_consumed_total"
                and labels.get("consumer") == consumer
                and labels.get("outcome") == outcome
            ):
                value += sample.value
    return value


async def committed_offset(bootstrap: str, group: str, topic: str) -> int:
    consumer = AIOKafkaConsumer(
        **client_options(KafkaSettings(bootstrap_servers=bootstrap)),
        group_id=group,
        enable_auto_commit=False,
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
    infrastructure: Infrastructure, database: Database, widget: Widget, unique_topic: str
) -> None:
    bootstrap = infrastructure.kafka.bootstrap_servers
    envelope = envelope_for({"widget_id": "w1", "sequence": 1, "colour": "red"}, widget.event_type)
    await produce_raw(bootstrap, unique_topic, envelope.kafka_value(), envelope.kafka_headers())
    group = "crash-" + uuid.uuid4().hex[:6]
    args = [sys.executable, str(CONSUMER), database.url, bootstrap, unique_topic, group]

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
