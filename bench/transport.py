"""The baseline: the raw aiokafka producer and consumer with the platform's settings."""

import time
import uuid

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer

from bench.figures import Section
from bench.payload import typical_envelope
from cq_shared.messaging.connection import client_options
from cq_shared.settings import KafkaSettings


def _connection(bootstrap: str) -> dict[str, object]:
    """The platform's connection options (logins from CQ_KAFKA_*): the baseline pays for
    SASL/SCRAM exactly as the measured paths do."""
    return client_options(KafkaSettings(bootstrap_servers=bootstrap))


async def raw_producer(bootstrap: str, topic: str, count: int) -> Section:
    """Events/s of an idempotent `acks=all` producer sending typical events, all acks awaited."""
    # Distinct events (ids, case keys) prepared before the clock starts, as the relay has them.
    envelopes = [typical_envelope() for _ in range(count + 1)]
    messages = [(e.kafka_value(), e.kafka_headers(), e.subject.encode()) for e in envelopes]
    producer = AIOKafkaProducer(
        **_connection(bootstrap), acks="all", enable_idempotence=True, linger_ms=2
    )
    await producer.start()
    try:
        value, headers, key = messages[0]
        await producer.send_and_wait(topic, value=value, key=key, headers=headers)
        started = time.perf_counter()
        futures = [
            await producer.send(topic, value=value, key=key, headers=headers)
            for value, headers, key in messages[1:]
        ]
        for future in futures:
            await future
        elapsed = time.perf_counter() - started
    finally:
        await producer.stop()
    return Section("raw producer", {"events": count, "events_per_s": round(count / elapsed, 1)})


async def raw_consumer(bootstrap: str, topic: str, count: int) -> Section:
    """Events/s reading `count` records with a fresh group, committing offsets as it goes."""
    consumer = AIOKafkaConsumer(
        topic,
        **_connection(bootstrap),
        group_id="bench-raw-" + uuid.uuid4().hex[:6],
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        seen = 0
        started = finished = 0.0
        while seen < count:
            batch = await consumer.getmany(timeout_ms=1000, max_records=200)
            if not started and batch:
                started = time.perf_counter()  # from the first record, as for the inbox
            for records in batch.values():
                seen += len(records)
            if batch:
                await consumer.commit()
                finished = time.perf_counter()
        elapsed = finished - started
    finally:
        await consumer.stop()
    return Section(
        "raw consumer", {"events": seen, "events_per_s": round(seen / max(elapsed, 1e-9), 1)}
    )
