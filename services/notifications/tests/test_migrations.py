"""The Alembic revisions create exactly what the models describe."""

import asyncio
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

import cq_notifications.models  # noqa: F401 - registers the service's tables
from cq_shared.db.migrations import service_metadata, upgrade_to_head


def test_the_migrations_match_the_models(fresh_database_url: str) -> None:
    upgrade_to_head(fresh_database_url, "cq_notifications:migrations")
    assert asyncio.run(_differences(fresh_database_url)) == []


async def _differences(url: str) -> list[Any]:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(_compare)
    finally:
        await engine.dispose()


def _compare(connection: Connection) -> list[Any]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, service_metadata("cq_notifications")))
