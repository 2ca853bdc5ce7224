"""Binds an InboxConsumer to a FastStream Kafka broker with an explicit group and manual acks.

FastStream's default for Kafka is ACK_FIRST (auto-commit: at most once). We switch to MANUAL
and acknowledge only after InboxConsumer.process_batch() returned, i.e. after the database
commit or the DLQ's ack. Records are fetched in batches (up to MAX_BATCH, waiting at most
BATCH_WAIT_MS for more) so that one transaction and one offset commit serve many events.
"""

import asyncio
import logging
from typing import Any

from aiokafka import ConsumerRecord
from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage

from cq_shared.messaging.inbox import InboxConsumer, Record

log = logging.getLogger(__name__)

MAX_BATCH = 500
BATCH_WAIT_MS = 5


async def _raw_body(message: StreamMessage[Any]) -> Any:
    # Decoding belongs to InboxConsumer (so undecodable records reach the DLQ, not a log line).
    return message.body


def _record(raw: ConsumerRecord[bytes, bytes]) -> Record:
    return Record(
        topic=raw.topic,
        partition=raw.partition,
        offset=raw.offset,
        key=raw.key,
        value=raw.value,
        headers=list(raw.headers or ()),
    )


def attach(consumer: InboxConsumer, broker: KafkaBroker) -> None:
    """Subscribe `consumer` to its topics on `broker` (call before the broker starts)."""

    async def on_records(body: Any, message: KafkaMessage) -> None:
        raw = message.raw_message
        records = [_record(r) for r in (raw if isinstance(raw, tuple) else (raw,))]
        try:
            await consumer.process_batch(records)
        except Exception:
            # Neither applied nor dead-lettered (database or DLQ unreachable). Committing a
            # later offset would skip these records, so rewind to them after a pause.
            log.exception("consumer %s could not settle a batch; will re-read it", consumer.name)
            await asyncio.sleep(consumer.retry.max_seconds)
            await message.nack()
            return
        await message.ack()

    broker.subscriber(
        *consumer.topics,
        group_id=consumer.name,
        ack_policy=AckPolicy.MANUAL,
        auto_offset_reset="earliest",
        batch=True,
        max_records=MAX_BATCH,
        batch_timeout_ms=BATCH_WAIT_MS,
        decoder=_raw_body,
        title=consumer.name,
    )(on_records)
