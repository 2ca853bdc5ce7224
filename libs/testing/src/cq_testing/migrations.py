"""A service's Alembic revisions against its models: what autogenerate would still find."""

import asyncio
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from cq_shared.db.migrations import upgrade_to_head


async def migration_drift(url: str, scripts: str, metadata: MetaData) -> list[Any]:
    """Upgrade the fresh database at `url` to the head of `scripts` ("cq_<name>:migrations")
    and compare it with `metadata`, column types included: the differences a new revision
    would have to carry, [] when the migrations create exactly what the models describe."""
    await asyncio.to_thread(upgrade_to_head, url, scripts)
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:

            def compare(sync: Connection) -> list[Any]:
                context = MigrationContext.configure(sync, opts={"compare_type": True})
                return list(compare_metadata(context, metadata))

            return await connection.run_sync(compare)
    finally:
        await engine.dispose()
