"""FastAPI wiring: the HTTP request owns the unit of work."""

from collections.abc import AsyncIterator
from typing import Annotated

from fastapi import Depends, Request
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.db.database import Database


async def session_dependency(request: Request) -> AsyncIterator[AsyncSession]:
    database: Database = request.app.state.database
    async with database.unit_of_work() as session:
        yield session


# scope="function": commit before the response is sent, so a client never sees 201 for a
# change that then fails to commit.
SessionDep = Annotated[AsyncSession, Depends(session_dependency, scope="function")]
