"""All SQL about volunteers. Takes a session; never commits."""

import uuid
from collections.abc import Collection
from typing import Any

from sqlalchemy import func
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_volunteering.matches.models import ACTIVE_STATUSES, Match
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


async def candidates_for(
    session: AsyncSession, site: str, need_type: str
) -> list[tuple[Volunteer, int]]:
    """The site's volunteers with `need_type` among their skills and their active load.

    The rows stay locked (in id order, so two proposals cannot deadlock) until the caller's
    transaction ends: two proposals at once cannot both take a volunteer's last free slot.
    """
    volunteers = list(
        (
            await session.exec(
                select(Volunteer)
                .where(Volunteer.site == site, col(Volunteer.skills).contains([need_type]))
                .order_by(col(Volunteer.id))
                .with_for_update()
            )
        ).all()
    )
    if not volunteers:
        return []
    loads = await session.exec(
        select(col(Match.volunteer_id), func.count())
        .where(
            col(Match.volunteer_id).in_([v.id for v in volunteers]),
            col(Match.status).in_(ACTIVE_STATUSES),
        )
        .group_by(col(Match.volunteer_id))
    )
    load_of = dict(loads.all())
    return [(volunteer, load_of.get(volunteer.id, 0)) for volunteer in volunteers]
