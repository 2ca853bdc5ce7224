"""All SQL about needs and matches. Takes a session; never commits."""

import uuid
from collections.abc import Collection

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from cq_volunteering.matches.models import ACTIVE_STATUSES, Match, MatchStatus, VolunteerNeed
from cq_volunteering.volunteers.models import Volunteer

MatchRow = tuple[Match, str]  # the match and the volunteer's given name


async def get_need(session: AsyncSession, need_id: uuid.UUID) -> VolunteerNeed | None:
    return await session.get(VolunteerNeed, need_id)


async def volunteers_asked(session: AsyncSession, need_id: uuid.UUID) -> frozenset[uuid.UUID]:
    asked = await session.exec(select(Match.volunteer_id).where(Match.need_id == need_id))
    return frozenset(asked.all())


async def lock_match(session: AsyncSession, match_id: uuid.UUID) -> Match | None:
    """The match, locked until the transaction ends: concurrent answers to the same proposal
    queue here, and the second one sees the first one's result."""
    found = await session.exec(select(Match).where(Match.id == match_id).with_for_update())
    return found.first()


async def get_row(session: AsyncSession, match_id: uuid.UUID) -> MatchRow | None:
    found = await session.exec(_with_names().where(Match.id == match_id))
    row = found.first()
    return None if row is None else (row[0], row[1])


async def list_rows(
    session: AsyncSession,
    *,
    sites: Collection[str] | None,
    volunteer_id: uuid.UUID | None,
    case_id: uuid.UUID | None,
    status: MatchStatus | None,
    limit: int,
) -> list[MatchRow]:
    query = _with_names()
    if sites is not None:
        query = query.where(col(Match.site).in_(sites))
    if volunteer_id is not None:
        query = query.where(Match.volunteer_id == volunteer_id)
    if case_id is not None:
        query = query.where(Match.case_id == case_id)
    if status is not None:
        query = query.where(Match.status == status)
    query = query.order_by(col(Match.created_at), col(Match.id)).limit(limit)
    return [(match, name) for match, name in (await session.exec(query)).all()]


def _with_names() -> Select[Match, str]:
    return select(Match, Volunteer.given_name).join(
        Volunteer, col(Volunteer.id) == col(Match.volunteer_id)
    )


async def needs_of_case(session: AsyncSession, case_id: uuid.UUID) -> list[VolunteerNeed]:
    found = await session.exec(select(VolunteerNeed).where(VolunteerNeed.case_id == case_id))
    return list(found.all())


async def matches_of_case(session: AsyncSession, case_id: uuid.UUID) -> list[Match]:
    found = await session.exec(
        select(Match).where(Match.case_id == case_id).order_by(col(Match.id)).with_for_update()
    )
    return list(found.all())


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
