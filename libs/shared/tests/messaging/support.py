"""Test events and tables of the messaging tests (Kafka and database probes are in cq_testing)."""

from typing import ClassVar

from sqlalchemy import Column, Integer, String, Table
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
