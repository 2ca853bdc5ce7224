"""Re-driving a DLQ: put dead letters back on their source topic once the cause is fixed."""

import logging
from dataclasses import dataclass

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

from cq_shared.messaging.dlq import DLQ_HEADERS, SOURCE_TOPIC, dlq_topic
from cq_shared.messaging.producer import idempotent_producer
from cq_shared.settings import KafkaSettings

log = logging.getLogger(__name__)

REDRIVE_GROUP = "carequartier-dlq-redrive"


@dataclass(frozen=True)
class RedriveResult:
    redriven: int


async def redrive(
    topic: str, settings: KafkaSettings, *, limit: int | None = None
) -> RedriveResult:
    """Move the records of `<topic>.dlq` that arrived before this call back to their source
    topic. The redrive group's offset is committed after each record is acked by the broker,
    so a re-run continues where an interrupted one stopped and never re-drives twice."""
    consumer = AIOKafkaConsumer(
        bootstrap_servers=settings.bootstrap_servers,
        group_id=REDRIVE_GROUP,
        enable_auto_commit=False,
        auto_offset_reset="earliest",
    )
    producer = idempotent_producer(settings, client_suffix="-redrive")
    await consumer.start()
    await producer.start()
    try:
        return await _move(consumer, producer, dlq_topic(topic), topic, limit)
    finally:
        await consumer.stop()
        await producer.stop()


async def _move(
    consumer: AIOKafkaConsumer,
    producer: AIOKafkaProducer,
    source: str,
    fallback_target: str,
    limit: int | None,
) -> RedriveResult:
    await consumer.topics()  # refreshes cluster metadata, so the DLQ's partitions are known
    partitions = [
        TopicPartition(source, p) for p in sorted(consumer.partitions_for_topic(source) or ())
    ]
    if not partitions:
        return RedriveResult(redriven=0)
    consumer.assign(partitions)
    end = await consumer.end_offsets(partitions)
    for partition in partitions:
        committed = await consumer.committed(partition)
        if committed is None:
            await consumer.seek_to_beginning(partition)
        else:
            consumer.seek(partition, committed)
    moved = 0
    while await _behind(consumer, end):
        if limit is not None and moved >= limit:
            break
        batch = await consumer.getmany(*partitions, timeout_ms=1000, max_records=100)
        for partition, records in batch.items():
            for record in records:
                if record.offset >= end[partition] or (limit is not None and moved >= limit):
                    continue
                headers = list(record.headers or ())
                target = next(
                    (v.decode() for k, v in headers if k == SOURCE_TOPIC), fallback_target
                )
                await producer.send_and_wait(
                    target,
                    value=record.value,
                    key=record.key,
                    headers=[(k, v) for k, v in headers if k not in DLQ_HEADERS],
                )
                await consumer.commit({partition: record.offset + 1})
                moved += 1
    log.info("re-drove %s records from %s", moved, source)
    return RedriveResult(redriven=moved)


async def _behind(consumer: AIOKafkaConsumer, end: dict[TopicPartition, int]) -> bool:
    """True while some partition has records that were there when the re-drive began."""
    for partition, end_offset in end.items():
        if await consumer.position(partition) < end_offset:
            return True
    return False
