"""All SQL about volunteers. Takes a session; never commits."""

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_volunteering.volunteers.models import Volunteer


async def get(session: AsyncSession, volunteer_id: uuid.UUID) -> Volunteer | None:
    return await session.get(Volunteer, volunteer_id)


async def email_taken(session: AsyncSession, site: str, email: str) -> bool:
    found = await session.exec(
        select(Volunteer.id).where(Volunteer.site == site, Volunteer.email == email)
    )
    return found.first() is not None


async def list_for_sites(
    session: AsyncSession, sites: Collection[str] | None, limit: int
) -> list[Volunteer]:
    """Volunteers of `sites` (None: every site), by name."""
    query = select(Volunteer)
    if sites is not None:
        query = query.where(col(Volunteer.site).in_(sites))
    query = query.order_by(
        col(Volunteer.family_name), col(Volunteer.given_name), col(Volunteer.id)
    ).limit(limit)
    return list((await session.exec(query)).all())


async def upsert(session: AsyncSession, values: dict[str, Any]) -> None:
    """Insert or overwrite a volunteer by id (demo data; keeps created_at)."""
    statement = insert(Volunteer).values(**values)
    changed = {k: statement.excluded[k] for k in values if k not in {"id", "created_at"}}
    await session.exec(statement.on_conflict_do_update(index_elements=["id"], set_=changed))
