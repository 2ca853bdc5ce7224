"""Revision 0004 reshapes intake's own audit_events into the kernel's, keeping its rows."""

import asyncio
import uuid

import sqlalchemy as sa
from alembic import command
from sqlalchemy.ext.asyncio import create_async_engine

from cq_shared.db.migrations import alembic_config

SCRIPTS = "cq_intake:migrations"


async def _sql(url: str, statement: str, **params: object) -> list[sa.Row[tuple[object, ...]]]:
    engine = create_async_engine(url)
    try:
        async with engine.begin() as connection:
            result = await connection.execute(sa.text(statement), params)
            return list(result) if result.returns_rows else []
    finally:
        await engine.dispose()


async def test_the_old_trail_is_kept_in_the_kernel_shape(fresh_database_url: str) -> None:
    config = alembic_config(fresh_database_url, SCRIPTS)
    await asyncio.to_thread(command.upgrade, config, "0003")
    case_id = uuid.uuid4()
    await _sql(
        fresh_database_url,
        "INSERT INTO audit_events (occurred_at, actor, action, case_id, site)"
        " VALUES ('2025-06-02T08:00:00Z', 'staff-1', 'read', :case_id, 'zwenkau')",
        case_id=case_id,
    )
    await asyncio.to_thread(command.upgrade, config, "head")
    kept = await _sql(
        fresh_database_url,
        "SELECT actor, roles, site, action, resource, case_id, purpose, trace_id FROM audit_events",
    )
    assert [tuple(row) for row in kept] == [
        ("staff-1", [], "zwenkau", "read", "case", case_id, "case_work", None)
    ]
    # New rows name their own resource and purpose: the backfill defaults are gone.
    defaults = await _sql(
        fresh_database_url,
        "SELECT column_name FROM information_schema.columns"
        " WHERE table_name = 'audit_events' AND column_default IS NOT NULL",
    )
    assert [row[0] for row in defaults] == ["id"]

    await asyncio.to_thread(command.downgrade, config, "0003")
    back = await _sql(fresh_database_url, "SELECT actor, action, case_id, site FROM audit_events")
    assert [tuple(row) for row in back] == [("staff-1", "read", case_id, "zwenkau")]
