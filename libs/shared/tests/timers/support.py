"""The timers table and an effects table for the timer tests (the kernel has no migrations)."""

from datetime import UTC, datetime

from sqlalchemy import BigInteger, Column, Integer, String, Table, text
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.db.database import Database
from cq_shared.settings import DatabaseSettings
from cq_shared.timers import Timer, TimerRow

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

# What a fired timer did. No UNIQUE on the key on purpose: a second firing must show up as a
# second row, not be hidden by a constraint.
timer_effects = Table(
    "timer_effects",
    SQLModel.metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("key", String, nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("note", String, nullable=True),
)


async def prepared_database(url: str, pool_size: int = 5) -> Database:
    database = Database(DatabaseSettings(url=url, pool_size=pool_size))
    async with database.engine.begin() as connection:
        await connection.run_sync(
            SQLModel.metadata.create_all,
            tables=[TimerRow.__table__, timer_effects],  # type: ignore[attr-defined]
        )
    return database


async def record_effect(session: AsyncSession, timer: Timer) -> None:
    """A handler: one row per firing, in the firing's transaction."""
    await session.execute(
        text("INSERT INTO timer_effects (key, attempt, note) VALUES (:key, :attempt, :note)"),
        {"key": timer.key, "attempt": timer.attempt, "note": timer.payload.get("note")},
    )
