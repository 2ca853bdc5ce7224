"""Reading what is on a topic, from the beginning, with a consumer group of its own (logged in
as the environment's CQ_KAFKA_* say: the operator in the test suite)."""

import time
import uuid
from typing import Any

from aiokafka import AIOKafkaConsumer

from cq_shared.messaging.connection import client_options
from cq_shared.settings import KafkaSettings


async def read_all(
    bootstrap_servers: str, topic: str, expected: int = 0, timeout: float = 30.0
) -> list[Any]:
    """Every record of `topic` from the beginning, waiting until at least `expected` arrived,
    then draining whatever else is there (so duplicates and extras are seen too; with nothing
    expected, a quiet 1.5 s ends the reading)."""
    consumer = AIOKafkaConsumer(
        topic,
        **client_options(KafkaSettings(bootstrap_servers=bootstrap_servers)),
        group_id="reader-" + uuid.uuid4().hex,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        records: list[Any] = []
        deadline = time.monotonic() + timeout
        while len(records) < expected and time.monotonic() < deadline:
            for part in (await consumer.getmany(timeout_ms=500)).values():
                records.extend(part)
        quiet_ms = 500 if expected else 1500
        while batch := await consumer.getmany(timeout_ms=quiet_ms):
            for part in batch.values():
                records.extend(part)
        return records
    finally:
        await consumer.stop()


async def records_for_key(bootstrap_servers: str, topic: str, key: str) -> list[Any]:
    """Every record of `topic` with `key`, read from the beginning."""
    records = await read_all(bootstrap_servers, topic)
    return [record for record in records if record.key == key.encode()]
