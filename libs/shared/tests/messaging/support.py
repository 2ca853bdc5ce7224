"""Test events, tables and Kafka helpers shared by the messaging tests."""

import time
import uuid
from typing import Any, ClassVar

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import Column, Integer, String, Table, text
from sqlmodel import SQLModel

from cq_shared.db.database import Database
from cq_shared.events.catalogue import EventCatalogue
from cq_shared.events.payload import EventPayload
from cq_shared.messaging.tables import InboxEntry, OutboxMessage
from cq_shared.settings import DatabaseSettings

effects = Table(
    "test_effects",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String, nullable=False),
)


def widget_event(topic: str) -> type[EventPayload]:
    """A payload class bound to `topic` (each test gets its own topic)."""

    class WidgetChanged(EventPayload):
        event_type: ClassVar[str] = "de.drk.carequartier.test.widget.changed.v1"
        widget_id: str
        sequence: int
        colour: str

    WidgetChanged.topic = topic
    return WidgetChanged


def catalogue_for(*models: type[EventPayload]) -> EventCatalogue:
    events = EventCatalogue()
    for model in models:
        events.register(model)
    return events


async def create_tables(database: Database) -> None:
    """The outbox, the inbox and the tests' effects table (the library has no migrations)."""
    async with database.engine.begin() as connection:
        await connection.run_sync(
            SQLModel.metadata.create_all,
            tables=[OutboxMessage.__table__, InboxEntry.__table__, effects],  # type: ignore[attr-defined]
        )


async def prepared_database(url: str) -> Database:
    database = Database(DatabaseSettings(url=url, pool_size=5))
    await create_tables(database)
    return database


async def count(database: Database, sql: str) -> int:
    async with database.unit_of_work() as session:
        return int((await session.execute(text(sql))).scalar_one())


async def read_all(bootstrap: str, topic: str, expected: int, timeout: float = 30.0) -> list[Any]:
    """Every record of `topic` from the beginning, waiting until at least `expected` arrived,
    then draining whatever else is there (so duplicates and extras are seen too)."""
    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
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
        while batch := await consumer.getmany(timeout_ms=500):
            for part in batch.values():
                records.extend(part)
        return records
    finally:
        await consumer.stop()


async def produce_raw(
    bootstrap: str, topic: str, value: bytes, headers: list[tuple[str, bytes]], key: bytes = b"k"
) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        await producer.send_and_wait(topic, value=value, key=key, headers=headers)
    finally:
        await producer.stop()


def header(record: Any, name: str) -> str | None:
    for key, value in record.headers or ():
        if key == name:
            return str(value.decode())
    return None
