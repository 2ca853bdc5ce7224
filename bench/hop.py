"""One effectively-once hop against FastStream's batched at-least-once echo, on one broker.

The hop is what a service does with an event it reacts to: the inbox claims it, the handler
writes one row and stages one event for the next service (`EventWriter.add_many`, one
statement for the fetched batch), the transaction commits, and the relay publishes. The
baseline is FastStream's own echo loop: a batch subscriber that publishes each batch on
(`publish_batch`) and acknowledges afterwards (AckPolicy.ACK, at least once), with the same
producer guarantees as the relay (idempotent, acks=all). Both read the same `count` events
from the start of one topic; each rate runs from the first record handed over to the last
event published on.
"""

import asyncio
import time
import uuid
from collections.abc import Sequence
from typing import Any, ClassVar

from faststream import AckPolicy
from faststream.kafka import KafkaBroker
from sqlalchemy import insert, text
from sqlmodel.ext.asyncio.session import AsyncSession

from bench.figures import Section
from bench.inbox import bench_metadata, cases_seen
from bench.outbox import prepared_database
from bench.topics import bench_topic
from cq_shared.contracts.intake import CaseOpened
from cq_shared.messaging.connection import faststream_security
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.outbox import EventWriter, Staged
from cq_shared.messaging.producer import idempotent_producer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.messaging.relay import OutboxRelay
from cq_shared.messaging.subscription import MAX_BATCH, attach
from cq_shared.settings import KafkaSettings

POLL_SECONDS = 0.02


class HoppedCaseOpened(CaseOpened):
    """The event passed on: the same type and size, on a benchmark topic of its own."""

    topic: ClassVar[str] = "bench.hop"


async def effectively_once_hop(url: str, bootstrap: str, source: str, count: int) -> Section:
    await bench_topic(bootstrap, "bench.hop", name=HoppedCaseOpened.topic)
    database = await prepared_database(url)
    async with database.engine.begin() as connection:
        await connection.run_sync(bench_metadata.create_all)
    producer = idempotent_producer(KafkaSettings(bootstrap_servers=bootstrap))
    await producer.start()
    writer = EventWriter("bench")
    consumer = InboxConsumer(
        name="bench-hop-" + uuid.uuid4().hex[:6], database=database, dlq_producer=producer
    )
    started = 0.0

    @consumer.handles_batch(CaseOpened, topic=source)
    async def hop(session: AsyncSession, events: Sequence[ReceivedEvent[CaseOpened]]) -> None:
        nonlocal started
        started = started or time.perf_counter()
        await session.execute(
            insert(cases_seen), [{"case_id": str(event.payload.case_id)} for event in events]
        )
        staged = [
            Staged(
                HoppedCaseOpened.model_validate(event.payload.model_dump()),
                str(event.payload.case_id),
                event.payload.site,
            )
            for event in events
        ]
        await writer.add_many(session, staged)

    broker = KafkaBroker(
        bootstrap,
        security=faststream_security(KafkaSettings(bootstrap_servers=bootstrap)),
        logger=None,
    )
    attach(consumer, broker)
    relay = asyncio.create_task(OutboxRelay(database, producer).run())
    published = 0
    try:
        await broker.start()
        deadline = time.monotonic() + 60 + count / 50
        while published < count and time.monotonic() < deadline:
            await asyncio.sleep(POLL_SECONDS)
            async with database.unit_of_work() as session:
                published = (
                    await session.execute(
                        text("SELECT count(*) FROM outbox WHERE published_at IS NOT NULL")
                    )
                ).scalar_one()
        finished = time.perf_counter()
    finally:
        relay.cancel()
        await asyncio.gather(relay, return_exceptions=True)
        await broker.stop()
        await producer.stop()
        await database.dispose()
    rate = published / (finished - started) if started and finished > started else 0.0
    return Section("effectively-once hop", {"events": published, "events_per_s": round(rate, 1)})


async def faststream_batched_echo(bootstrap: str, source: str, count: int) -> Section:
    target = await bench_topic(bootstrap, "bench.echo")
    # publish_batch sends one record batch: aiokafka's default 16 KiB batch would overflow
    # with a fetched batch of typical events, so it may grow to the broker's 1 MiB limit.
    broker = KafkaBroker(
        bootstrap,
        security=faststream_security(KafkaSettings(bootstrap_servers=bootstrap)),
        logger=None,
        acks="all",
        enable_idempotence=True,
        max_batch_size=1_048_576,
    )
    state = {"started": 0.0, "finished": 0.0, "echoed": 0}

    @broker.subscriber(
        source,
        group_id="bench-echo-" + uuid.uuid4().hex[:6],
        batch=True,
        max_records=MAX_BATCH,
        auto_offset_reset="earliest",
        ack_policy=AckPolicy.ACK,
    )
    async def echo(bodies: list[Any]) -> None:
        state["started"] = state["started"] or time.perf_counter()
        await broker.publish_batch(*bodies, topic=target)
        state["echoed"] += len(bodies)
        state["finished"] = time.perf_counter()

    try:
        await broker.start()
        deadline = time.monotonic() + 60 + count / 50
        while state["echoed"] < count and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(POLL_SECONDS)
    finally:
        await broker.stop()
    elapsed = state["finished"] - state["started"]
    rate = state["echoed"] / elapsed if elapsed > 0 else 0.0
    return Section(
        "FastStream batched echo",
        {"events": int(state["echoed"]), "events_per_s": round(rate, 1)},
    )
