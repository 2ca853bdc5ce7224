"""The outbox relay against the raw producer: throughput, and commit-to-ack latency."""

import asyncio
import time
import uuid
from datetime import datetime

from sqlalchemy import text
from sqlmodel import SQLModel

from bench.figures import Section, latency_summary
from bench.payload import typical_event
from cq_shared.db.database import Database
from cq_shared.messaging.outbox import EventWriter
from cq_shared.messaging.producer import idempotent_producer
from cq_shared.messaging.relay import OutboxRelay
from cq_shared.messaging.tables import InboxEntry, OutboxMessage
from cq_shared.settings import DatabaseSettings, KafkaSettings, MessagingSettings


async def prepared_database(url: str) -> Database:
    database = Database(DatabaseSettings(url=url, pool_size=5))
    async with database.engine.begin() as connection:
        await connection.run_sync(
            SQLModel.metadata.create_all,
            tables=[OutboxMessage.__table__, InboxEntry.__table__],  # type: ignore[attr-defined]
        )
    return database


async def _fill(database: Database, count: int) -> None:
    writer = EventWriter("intake")
    for chunk in range(0, count, 500):
        async with database.unit_of_work() as session:
            for _ in range(min(500, count - chunk)):
                event = typical_event()
                await writer.add(session, event, subject=str(event.case_id), site="kaiserslautern")


async def relay_throughput(url: str, bootstrap: str, count: int) -> Section:
    """Events/s the relay publishes from a full outbox (rows committed beforehand)."""
    database = await prepared_database(url)
    await _fill(database, count)
    producer = idempotent_producer(KafkaSettings(bootstrap_servers=bootstrap))
    await producer.start()
    try:
        relay = OutboxRelay(database, producer, MessagingSettings())
        started = time.perf_counter()
        published = 0
        while batch := await relay.publish_batch():
            published += batch
        elapsed = time.perf_counter() - started
    finally:
        await producer.stop()
        await database.dispose()
    return Section(
        "outbox relay", {"events": published, "events_per_s": round(published / elapsed, 1)}
    )


async def commit_to_ack_latency(url: str, bootstrap: str, count: int, rate_per_s: float) -> Section:
    """Latency from a committed transaction to the broker's ack, at a light steady load, with
    the relay woken by LISTEN/NOTIFY as in production."""
    database = await prepared_database(url)
    producer = idempotent_producer(KafkaSettings(bootstrap_servers=bootstrap))
    await producer.start()
    relay_task = asyncio.create_task(OutboxRelay(database, producer, MessagingSettings()).run())
    writer = EventWriter("intake")
    committed_at: dict[uuid.UUID, float] = {}
    try:
        await asyncio.sleep(0.5)  # the relay takes its lock and starts listening
        for _ in range(count):
            async with database.unit_of_work() as session:
                event = typical_event()
                event_id = await writer.add(
                    session, event, subject=str(event.case_id), site="kaiserslautern"
                )
            committed_at[event_id] = time.time()
            await asyncio.sleep(1 / rate_per_s)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            async with database.unit_of_work() as session:
                pending = (
                    await session.execute(
                        text("SELECT count(*) FROM outbox WHERE published_at IS NULL")
                    )
                ).scalar_one()
            if pending == 0:
                break
            await asyncio.sleep(0.1)
        async with database.unit_of_work() as session:
            rows = (await session.execute(text("SELECT event_id, published_at FROM outbox"))).all()
    finally:
        relay_task.cancel()
        await asyncio.gather(relay_task, return_exceptions=True)
        await producer.stop()
        await database.dispose()
    latencies = [
        _epoch(published_at) - committed_at[event_id]
        for event_id, published_at in rows
        if published_at is not None and event_id in committed_at
    ]
    section = Section(
        "outbox commit-to-ack", {"rate_per_s": rate_per_s, **latency_summary(latencies)}
    )
    section.samples["commit_to_ack_ms"] = [s * 1000 for s in latencies]
    return section


def _epoch(moment: datetime) -> float:
    return moment.timestamp()
