"""One engine per process; one transaction per unit of work."""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.settings import DatabaseSettings


class Database:
    """Owns the engine. Repositories receive a session and never commit: the owner of the unit
    of work (the HTTP request, the Kafka message, a job) commits or rolls back."""

    def __init__(self, settings: DatabaseSettings) -> None:
        self.url = settings.url
        self.engine: AsyncEngine = create_async_engine(
            settings.url,
            pool_size=settings.pool_size,
            max_overflow=settings.max_overflow,
            pool_pre_ping=True,
            echo=settings.echo,
            # Error texts would otherwise quote statement parameters: names, birth dates, notes.
            hide_parameters=True,
        )
        self._sessions = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """A session inside one transaction: committed on normal exit, rolled back on error."""
        async with self._sessions() as session, session.begin():
            yield session

    async def ping(self) -> None:
        """Raise unless the server answers; used by /readyz."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
