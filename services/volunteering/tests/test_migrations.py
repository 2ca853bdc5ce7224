"""The Alembic revisions create exactly the tables the models describe (no drift)."""

import asyncio

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

import cq_volunteering.matches.models  # noqa: F401 - registers every table
from cq_shared.db.migrations import upgrade_to_head

OURS = ("volunteers", "volunteer_needs", "matches", "outbox", "inbox", "timers")


def our_metadata() -> MetaData:
    # SQLModel.metadata also holds other services' tables when the whole suite runs.
    metadata = MetaData()
    for name in OURS:
        SQLModel.metadata.tables[name].to_metadata(metadata)
    return metadata


async def test_migrations_match_the_models(fresh_database_url: str) -> None:
    await asyncio.to_thread(upgrade_to_head, fresh_database_url, "cq_volunteering:migrations")
    engine = create_async_engine(fresh_database_url)
    try:
        async with engine.connect() as connection:
            differences = await connection.run_sync(
                lambda sync: compare_metadata(
                    MigrationContext.configure(sync, opts={"compare_type": True}),
                    our_metadata(),
                )
            )
    finally:
        await engine.dispose()
    assert differences == []
