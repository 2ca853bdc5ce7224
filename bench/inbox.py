"""The inbox consumer (deduplication plus one database write per event) against the raw consumer."""

import asyncio
import time
import uuid
from typing import Any

from faststream.kafka import KafkaBroker
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, text
from sqlmodel.ext.asyncio.session import AsyncSession

from bench.figures import Section
from bench.outbox import prepared_database
from cq_shared.contracts.intake import CaseOpened
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.producer import idempotent_producer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.messaging.subscription import attach
from cq_shared.settings import KafkaSettings

bench_metadata = MetaData()
cases_seen = Table(
    "bench_cases_seen",
    bench_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_id", String, nullable=False),
)


async def inbox_throughput(url: str, bootstrap: str, topic: str, count: int) -> Section:
    """Events/s through InboxConsumer on a topic already holding `count` typical events."""
    database = await prepared_database(url)
    async with database.engine.begin() as connection:
        await connection.run_sync(bench_metadata.create_all)
    producer = idempotent_producer(KafkaSettings(bootstrap_servers=bootstrap))
    await producer.start()
    consumer = InboxConsumer(
        name="bench-inbox-" + uuid.uuid4().hex[:6], database=database, dlq_producer=producer
    )

    @consumer.handles(CaseOpened, topic=topic)  # a bench topic stands in for intake.cases
    async def remember(session: AsyncSession, event: ReceivedEvent[Any]) -> None:
        await session.execute(insert(cases_seen).values(case_id=str(event.payload.case_id)))

    broker = KafkaBroker(bootstrap, logger=None)
    attach(consumer, broker)
    try:
        await broker.start()
        started = None
        processed = 0
        deadline = time.monotonic() + 30 + count / 20  # generous; a stall ends the run
        while processed < count and time.monotonic() < deadline:
            async with database.unit_of_work() as session:
                processed = (
                    await session.execute(text("SELECT count(*) FROM bench_cases_seen"))
                ).scalar_one()
            if started is None and processed:
                started = time.perf_counter()
                first = processed
            await asyncio.sleep(0.05)
            if started is None and time.monotonic() > deadline - count / 20:
                break  # nothing arrives at all
        elapsed = time.perf_counter() - (started or time.perf_counter())
    finally:
        await broker.stop()
        await producer.stop()
        await database.dispose()
    rate = (processed - first) / max(elapsed, 1e-9) if started else 0.0
    return Section("inbox consumer", {"events": processed, "events_per_s": round(rate, 1)})
