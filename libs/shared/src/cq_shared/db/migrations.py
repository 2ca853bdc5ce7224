"""Alembic wiring every service reuses: its `env.py` is two lines, its upgrade one call."""

import asyncio

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel import SQLModel

from cq_shared.audit.table import AuditEvent
from cq_shared.messaging.tables import InboxEntry, OutboxMessage
from cq_shared.timers.table import TimerRow


def service_metadata(package: str) -> MetaData:
    """The tables of one service's models (those defined in `package`) plus the outbox,
    inbox, timers and audit trail, copied out of SQLModel's global MetaData.

    In production a service process only imports its own models, but a test process imports
    every service's: comparing or migrating against the global MetaData would then see the
    other services' tables."""
    owned = {
        str(mapper.class_.__tablename__)
        for mapper in SQLModel._sa_registry.mappers
        if mapper.class_.__module__.startswith(package + ".")
    }
    wanted = owned | {
        OutboxMessage.__tablename__,
        InboxEntry.__tablename__,
        TimerRow.__tablename__,
        AuditEvent.__tablename__,
    }
    metadata = MetaData()
    for name, table in SQLModel.metadata.tables.items():
        if name in wanted:
            table.to_metadata(metadata)
    return metadata


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
