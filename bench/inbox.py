"""The inbox consumer (deduplication plus one database write per event) against the raw consumer."""

import asyncio
import time
import uuid
from collections.abc import Sequence
from typing import Any

from faststream.kafka import KafkaBroker
from sqlalchemy import Column, Integer, MetaData, String, Table, insert, text
from sqlmodel.ext.asyncio.session import AsyncSession

from bench.figures import Section
from bench.outbox import prepared_database
from cq_shared.contracts.intake import CaseOpened
from cq_shared.messaging.connection import faststream_security
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


async def inbox_throughput(
    url: str, bootstrap: str, topic: str, count: int, *, batched: bool = True
) -> Section:
    """Events/s through InboxConsumer on a topic already holding `count` typical events.

    Each event is claimed in the inbox and leaves one row in a table of its own. `batched`:
    the handler writes the rows of all events fetched together with one statement
    (`handles_batch`); otherwise it is called once per event with one INSERT each."""
    database = await prepared_database(url)
    async with database.engine.begin() as connection:
        await connection.run_sync(bench_metadata.create_all)
    producer = idempotent_producer(KafkaSettings(bootstrap_servers=bootstrap))
    await producer.start()
    clock = {"first_handler_call": 0.0, "last_commit": 0.0, "committed": 0}

    async def committed(_: ReceivedEvent[Any]) -> None:
        clock["last_commit"] = time.perf_counter()
        clock["committed"] += 1

    consumer = InboxConsumer(
        name="bench-inbox-" + uuid.uuid4().hex[:6],
        database=database,
        dlq_producer=producer,
        on_committed=committed,
    )

    def started() -> None:
        if not clock["first_handler_call"]:
            # From the first record handed over: the group join is not part of the rate.
            clock["first_handler_call"] = time.perf_counter()

    if batched:

        @consumer.handles_batch(CaseOpened, topic=topic)  # a bench topic stands in for intake.cases
        async def remember_all(
            session: AsyncSession, events: Sequence[ReceivedEvent[CaseOpened]]
        ) -> None:
            started()
            rows = [{"case_id": str(event.payload.case_id)} for event in events]
            await session.execute(insert(cases_seen), rows)

    else:

        @consumer.handles(CaseOpened, topic=topic)
        async def remember(session: AsyncSession, event: ReceivedEvent[CaseOpened]) -> None:
            started()
            await session.execute(insert(cases_seen).values(case_id=str(event.payload.case_id)))

    broker = KafkaBroker(
        bootstrap,
        security=faststream_security(KafkaSettings(bootstrap_servers=bootstrap)),
        logger=None,
    )
    attach(consumer, broker)
    try:
        await broker.start()
        deadline = time.monotonic() + 60 + count / 50
        while clock["committed"] < count and time.monotonic() < deadline:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        async with database.unit_of_work() as session:
            stored = (
                await session.execute(text("SELECT count(*) FROM bench_cases_seen"))
            ).scalar_one()
    finally:
        await broker.stop()
        await producer.stop()
        await database.dispose()
    elapsed = clock["last_commit"] - clock["first_handler_call"]
    rate = clock["committed"] / elapsed if elapsed > 0 else 0.0
    name = "inbox consumer" if batched else "inbox per-event handler"
    return Section(name, {"events": stored, "events_per_s": round(rate, 1)})
