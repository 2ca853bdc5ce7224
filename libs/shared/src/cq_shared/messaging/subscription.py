"""Binds an InboxConsumer to a FastStream Kafka broker with an explicit group and manual acks.

FastStream's default for Kafka is ACK_FIRST (auto-commit: at most once). We switch to MANUAL
and acknowledge only after InboxConsumer.process() returned, i.e. after the database commit or
the DLQ's ack.
"""

import asyncio
import logging
from typing import Any

from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from faststream.kafka.annotations import KafkaMessage
from faststream.message import StreamMessage

from cq_shared.messaging.inbox import InboxConsumer, Record

log = logging.getLogger(__name__)


async def _raw_body(message: StreamMessage[Any]) -> bytes:
    # Decoding belongs to InboxConsumer (so undecodable records reach the DLQ, not a log line).
    return message.body


def attach(consumer: InboxConsumer, broker: KafkaBroker) -> None:
    """Subscribe `consumer` to its topics on `broker` (call before the broker starts)."""

    async def on_record(body: bytes, message: KafkaMessage) -> None:
        raw = message.raw_message
        assert not isinstance(raw, tuple)  # single-record subscriber
        record = Record(
            topic=raw.topic,
            partition=raw.partition,
            offset=raw.offset,
            key=raw.key,
            value=raw.value,
            headers=list(raw.headers or ()),
        )
        try:
            await consumer.process(record)
        except Exception:
            # Neither applied nor dead-lettered (database or DLQ unreachable). Committing a
            # later offset would skip this record, so rewind to it after a pause.
            log.exception("consumer %s could not settle a record; will re-read it", consumer.name)
            await asyncio.sleep(consumer.retry.max_seconds)
            await message.nack()
            return
        await message.ack()

    broker.subscriber(
        *consumer.topics,
        group_id=consumer.name,
        ack_policy=AckPolicy.MANUAL,
        auto_offset_reset="earliest",
        decoder=_raw_body,
        title=consumer.name,
    )(on_record)
