"""Waking a loop when another transaction commits work for it: PostgreSQL LISTEN/NOTIFY.

`notify()` inside a transaction is delivered only if it commits; a `Wakeup` listens on a
dedicated connection. A loop still polls slowly as a safety net (and for timers), but does not
have to poll fast to be prompt."""

import asyncio
import contextlib
from collections.abc import AsyncIterator

import asyncpg
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession


async def notify(session: AsyncSession, channel: str) -> None:
    """Wake the listeners of `channel` when (and if) this transaction commits."""
    await session.execute(text("SELECT pg_notify(:channel, '')"), {"channel": channel})


class Wakeup:
    def __init__(self) -> None:
        self._event = asyncio.Event()

    def _on_notify(self, *_: object) -> None:
        self._event.set()

    async def wait(self, timeout_seconds: float) -> None:
        """Return on the next notification, or after the timeout (the polling safety net)."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._event.wait(), timeout_seconds)
        self._event.clear()


@contextlib.asynccontextmanager
async def listening(database_url: str, channel: str) -> AsyncIterator[Wakeup]:
    """LISTEN on `channel` for the life of the block."""
    connection = await asyncpg.connect(plain_dsn(database_url))
    wakeup = Wakeup()
    try:
        await connection.add_listener(channel, wakeup._on_notify)
        yield wakeup
    finally:
        await connection.close()


def plain_dsn(sqlalchemy_url: str) -> str:
    """asyncpg wants `postgresql://`, SQLAlchemy `postgresql+asyncpg://`."""
    return sqlalchemy_url.replace("postgresql+asyncpg://", "postgresql://", 1)
