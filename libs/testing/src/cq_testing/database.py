"""Looking into a service's database: counts, rows and the outbox."""

import uuid
from typing import Any, NamedTuple

from sqlalchemy import text

from cq_shared.db.database import Database


async def rows(database: Database, sql: str, **params: Any) -> list[Any]:
    """The statement's rows; committed, since tests also use it to set a row up."""
    async with database.engine.begin() as connection:
        return list((await connection.execute(text(sql), params)).all())


async def scalar(database: Database, sql: str, **params: Any) -> Any:
    async with database.engine.connect() as connection:
        return (await connection.execute(text(sql), params)).scalar_one()


async def count(database: Database, sql: str, **params: Any) -> int:
    return int(await scalar(database, sql, **params))


class Written(NamedTuple):
    event_type: str
    data: dict[str, Any]


async def outbox_of(database: Database, subject: str | uuid.UUID) -> list[Written]:
    """The events the service wrote about `subject` (a case id), in writing order."""
    found = await rows(
        database,
        "SELECT event_type, data FROM outbox WHERE subject = :subject ORDER BY id",
        subject=str(subject),
    )
    return [Written(row[0], row[1]) for row in found]
