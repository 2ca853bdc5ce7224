"""Fixtures of the messaging tests: a prepared database, and a widget event on the test's own
topic."""

from collections.abc import AsyncIterator

import pytest

from cq_shared.db.database import Database

from .support import Widget, prepared_database, widget_event


@pytest.fixture
async def database(fresh_database_url: str) -> AsyncIterator[Database]:
    """The test's fresh database with the outbox, the inbox and the effects table."""
    database = await prepared_database(fresh_database_url)
    yield database
    await database.dispose()


@pytest.fixture
def widget(unique_topic: str) -> Widget:
    """A widget event published on the test's own topic."""
    return widget_event(unique_topic)
