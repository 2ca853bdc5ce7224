"""Re-driving a DLQ: put dead letters back on their source topic once the cause is fixed."""

import logging
import time
from dataclasses import dataclass
from typing import Any

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from cq_shared.events.topics import dlq_topic
from cq_shared.messaging.connection import client_options
from cq_shared.messaging.dlq import DLQ_HEADERS, SOURCE_TOPIC
from cq_shared.messaging.producer import idempotent_producer
from cq_shared.settings import KafkaSettings

log = logging.getLogger(__name__)

# The operator runs re-drives (a super user on the broker, docs/decisions/0016): no service
# principal may join this group.
REDRIVE_GROUP = "carequartier-dlq-redrive"
JOIN_TIMEOUT_SECONDS = 30.0


@dataclass(frozen=True)
class RedriveResult:
    redriven: int


async def redrive(
    topic: str, settings: KafkaSettings, *, limit: int | None = None
) -> RedriveResult:
    """Move the records of `<topic>.dlq` back to their source topic, up to the end the DLQ had
    when the re-drive joined. The re-drive group's offset is committed after each record is
    acked by the broker, so an interrupted run continues where it stopped and a record is
    never re-driven twice by two runs."""
    consumer = AIOKafkaConsumer(
        dlq_topic(topic),
        **client_options(settings),
        group_id=REDRIVE_GROUP,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    producer = idempotent_producer(settings, client_suffix="-redrive")
    await consumer.start()
    await producer.start()
    try:
        return await _move(consumer, producer, topic, limit)
    finally:
        await consumer.stop()
        await producer.stop()


async def _move(
    consumer: AIOKafkaConsumer, producer: AIOKafkaProducer, fallback_target: str, limit: int | None
) -> RedriveResult:
    moved = 0
    end: dict[TopicPartition, int] | None = None
    deadline = time.monotonic() + JOIN_TIMEOUT_SECONDS
    while limit is None or moved < limit:
        batch = await consumer.getmany(timeout_ms=500, max_records=100)
        if end is None:
            assigned = consumer.assignment()
            if not assigned:
                if time.monotonic() > deadline:
                    break
                continue
            end = await consumer.end_offsets(list(assigned))
        for partition, records in batch.items():
            for record in records:
                if record.offset >= end.get(partition, 0) or (limit is not None and moved >= limit):
                    continue
                await _republish(producer, record, fallback_target)
                await consumer.commit({partition: record.offset + 1})
                moved += 1
        if not batch and not await _behind(consumer, end):
            break
    log.info("re-drove %s records for %s", moved, fallback_target)
    return RedriveResult(redriven=moved)


async def _republish(producer: AIOKafkaProducer, record: Any, fallback_target: str) -> None:
    headers = list(record.headers or ())
    target = next((v.decode() for k, v in headers if k == SOURCE_TOPIC), fallback_target)
    await producer.send_and_wait(
        target,
        value=record.value,
        key=record.key,
        headers=[(k, v) for k, v in headers if k not in DLQ_HEADERS],
    )


async def _behind(consumer: AIOKafkaConsumer, end: dict[TopicPartition, int]) -> bool:
    """True while some partition has records that were there when the re-drive joined."""
    for partition, end_offset in end.items():
        if await consumer.position(partition) < end_offset:
            return True
    return False
