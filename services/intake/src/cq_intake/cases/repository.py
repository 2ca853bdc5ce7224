"""All of intake's SQL about cases. Takes the caller's session; never commits."""

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Table, func, insert
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_intake.cases.models import Case, CaseKey, Client, Contact, Need
from cq_intake.cases.status import CaseStatus
from cq_shared.contracts.common import Urgency
from cq_shared.db.tables import table_of


async def add_case(
    session: AsyncSession,
    case: Case,
    client: Client,
    contacts: Sequence[Contact],
    needs: Sequence[Need],
) -> None:
    """One INSERT per table, parent first, without the ORM's unit of work: the case is new,
    so there is nothing to track, and the profile showed the flush as the request's largest
    cost."""
    for rows in ([case], [client], contacts, needs):
        if rows:
            table = table_of(type(rows[0]))
            await session.execute(insert(table), [_values(table, row) for row in rows])


def _values(table: Table, row: SQLModel) -> dict[str, Any]:
    return {column.key: getattr(row, column.key) for column in table.columns}


async def add_key(session: AsyncSession, case_id: uuid.UUID, key: bytes) -> None:
    await session.execute(insert(table_of(CaseKey)), [{"case_id": case_id, "key": key}])


async def get_case(session: AsyncSession, case_id: uuid.UUID) -> Case | None:
    return await session.get(Case, case_id)


async def lock_case(session: AsyncSession, case_id: uuid.UUID) -> Case | None:
    """The case row, locked until the transaction ends: reports about two needs of one case
    (from scheduling and volunteering, read concurrently) must not both compute the status
    from what they saw before the other's change."""
    statement = select(Case).where(Case.id == case_id).with_for_update()
    return (await session.exec(statement)).first()


async def client_of(session: AsyncSession, case_id: uuid.UUID) -> Client:
    statement = select(Client).where(Client.case_id == case_id)
    return (await session.exec(statement)).one()


async def contacts_of(session: AsyncSession, case_id: uuid.UUID) -> list[Contact]:
    statement = select(Contact).where(Contact.case_id == case_id).order_by(col(Contact.position))
    return list((await session.exec(statement)).all())


async def key_of(session: AsyncSession, case_id: uuid.UUID) -> bytes:
    """The case's key; a case not erased always has one (erasure deletes it)."""
    return (await session.exec(select(CaseKey.key).where(CaseKey.case_id == case_id))).one()


async def needs_of(session: AsyncSession, case_id: uuid.UUID) -> list[Need]:
    statement = select(Need).where(Need.case_id == case_id).order_by(col(Need.position))
    return list((await session.exec(statement)).all())


async def page_of_cases(
    session: AsyncSession,
    *,
    sites: Collection[str] | None,
    status: CaseStatus | None,
    urgency: Urgency | None,
    limit: int,
    offset: int,
) -> tuple[list[Case], int]:
    """One page, newest first, and how many match in all. `sites` None means every site."""
    conditions: list[ColumnElement[bool]] = []
    if sites is not None:
        conditions.append(col(Case.site).in_(sites))
    if status is not None:
        conditions.append(col(Case.status) == status)
    if urgency is not None:
        conditions.append(col(Case.urgency) == urgency)
    total = (await session.exec(select(func.count()).select_from(Case).where(*conditions))).one()
    page = (
        select(Case)
        .where(*conditions)
        # The id breaks ties, so pages neither repeat nor skip cases of the same instant.
        .order_by(col(Case.created_at).desc(), col(Case.id).desc())
        .limit(limit)
        .offset(offset)
    )
    return list((await session.exec(page)).all()), total
