"""Committing a consumer's offsets after its database commits, at most every few tenths of
a second rather than after every batch.

The inbox makes a redelivered event a no-op, so committing later is safe: after a crash or
a rebalance, what was applied but not yet committed is read again and deduplicated. What it
saves is a broker round trip on every batch's critical path (and a request the broker must
serve for every batch of every group), which under load was a visible share of both the
journey latency and the broker's CPU.

Offsets are committed explicitly, per partition, as "the record after the last one applied",
never as the consumer's current position: that may already include a fetched batch still
being applied.
"""

import asyncio
import logging
import time
from collections.abc import Iterable

from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.errors import KafkaError

from cq_shared.messaging.record import Record

log = logging.getLogger(__name__)

COMMIT_INTERVAL_SECONDS = 0.2


class OffsetCommitter:
    def __init__(self, interval_seconds: float = COMMIT_INTERVAL_SECONDS) -> None:
        self.interval_seconds = interval_seconds
        self._pending: dict[TopicPartition, int] = {}
        self._consumer: AIOKafkaConsumer | None = None
        self._last_commit = 0.0
        self._timer: asyncio.Task[None] | None = None
        self._lock = asyncio.Lock()

    async def applied(self, consumer: AIOKafkaConsumer, records: Iterable[Record]) -> None:
        """`records` are applied (database committed): their offsets may be committed."""
        self._consumer = consumer
        for record in records:
            partition = TopicPartition(record.topic, record.partition)
            self._pending[partition] = max(self._pending.get(partition, 0), record.offset + 1)
        if time.monotonic() - self._last_commit >= self.interval_seconds:
            await self.flush()
        elif self._timer is None or self._timer.done():
            # Nothing may follow for a while: commit what is pending after the interval.
            self._timer = asyncio.create_task(self._flush_later())

    async def _flush_later(self) -> None:
        await asyncio.sleep(self.interval_seconds)
        await self.flush()

    async def flush(self) -> None:
        async with self._lock:
            if not self._pending or self._consumer is None:
                return
            offsets, self._pending = self._pending, {}
            self._last_commit = time.monotonic()
            try:
                await self._consumer.commit(offsets)
            except KafkaError as error:
                # Partitions revoked or the consumer stopping: the next owner re-reads these
                # records and the inbox drops them. Nothing is lost, so log and go on.
                log.info("offset commit skipped (%s)", type(error).__name__)
