"""Alembic wiring every service reuses: its `env.py` is two lines, its upgrade one call."""

import asyncio

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine


def run_migrations(target_metadata: MetaData) -> None:
    """Body of a service's `env.py`: run offline (SQL script) or online on asyncpg."""
    url = context.config.get_main_option("sqlalchemy.url")
    if url is None:
        raise RuntimeError("sqlalchemy.url is not set for Alembic")
    if context.is_offline_mode():
        context.configure(url=url, target_metadata=target_metadata, literal_binds=True)
        with context.begin_transaction():
            context.run_migrations()
        return
    asyncio.run(_run_online(url, target_metadata))


async def _run_online(url: str, target_metadata: MetaData) -> None:
    engine = create_async_engine(url, poolclass=pool.NullPool)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_apply, target_metadata)
    finally:
        await engine.dispose()


def _apply(connection: Connection, target_metadata: MetaData) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


def alembic_config(database_url: str, script_location: str) -> Config:
    """`script_location` in package form, e.g. `cq_intake:migrations`."""
    config = Config()
    config.set_main_option("script_location", script_location)
    config.set_main_option("sqlalchemy.url", database_url)
    return config


def upgrade_to_head(database_url: str, script_location: str) -> None:
    """Bring a service's database to the newest revision (blocking: call it in a thread)."""
    command.upgrade(alembic_config(database_url, script_location), "head")
