"""Test events, tables, producers, consumers and relays of the messaging tests (Kafka and
database probes are in cq_testing)."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, ClassVar

from aiokafka import AIOKafkaProducer
from sqlalchemy import Column, Insert, Integer, String, Table, insert
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.db.database import Database
from cq_shared.events.catalogue import EventCatalogue
from cq_shared.events.payload import EventPayload
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.producer import idempotent_producer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.messaging.relay import OutboxRelay
from cq_shared.messaging.tables import InboxEntry, OutboxMessage
from cq_shared.settings import DatabaseSettings, KafkaSettings, MessagingSettings

# A widget event class bound to one test's topic (see widget_event and the `widget` fixture).
Widget = type[EventPayload]

effects = Table(
    "test_effects",
    SQLModel.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("event_id", String, nullable=False),
)


def widget_event(topic: str) -> Widget:
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


@asynccontextmanager
async def started_producer(
    settings: KafkaSettings | None = None,
) -> AsyncIterator[AIOKafkaProducer]:
    """An idempotent producer, started, and stopped (flushed) when the block ends."""
    producer = idempotent_producer(settings or KafkaSettings())
    await producer.start()
    try:
        yield producer
    finally:
        await producer.stop()


def inbox_consumer(
    name: str,
    database: Database,
    producer: AIOKafkaProducer,
    *models: type[EventPayload],
    **options: Any,
) -> InboxConsumer:
    """An inbox consumer of `models` that dead-letters with `producer`; `options` are the
    consumer's own (retry, serves, on_committed)."""
    return InboxConsumer(
        name=name,
        database=database,
        dlq_producer=producer,
        events=catalogue_for(*models),
        **options,
    )


def effect_of(event: ReceivedEvent[Any]) -> Insert:
    """The tests' effect of one event: a row in `test_effects`."""
    return insert(effects).values(event_id=event.envelope.id)


def recording_effects(consumer: InboxConsumer, model: type[EventPayload]) -> InboxConsumer:
    """`consumer`, handling each `model` event by recording its effect."""

    @consumer.handles(model)
    async def record_effect(session: AsyncSession, event: ReceivedEvent[Any]) -> None:
        await session.execute(effect_of(event))

    return consumer


async def relay_all(database: Database, settings: MessagingSettings | None = None) -> int:
    """Publish the outbox, batch after batch, until a batch finds nothing; how many were
    published."""
    published = 0
    async with started_producer() as producer:
        relay = OutboxRelay(database, producer, settings)
        while batch := await relay.publish_batch():
            published += batch
    return published
