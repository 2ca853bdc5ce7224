"""The counting SQL. Only columns erasure keeps are read (site, need type and state, age
band, care level), so the figures are the same before and after an erasure."""

from datetime import datetime
from typing import NamedTuple

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

_CASES = text(
    "SELECT count(*), count(erased_at) FROM cases "
    "WHERE site = :site AND created_at >= :start AND created_at < :end"
)
_BY_NEED = text(
    "SELECT n.type, n.state, count(*) FROM needs n JOIN cases c ON c.id = n.case_id "
    "WHERE c.site = :site AND c.created_at >= :start AND c.created_at < :end "
    "GROUP BY n.type, n.state ORDER BY n.type, n.state"
)
_NEEDS_BY_TYPE = text(
    "SELECT n.type, count(*) FROM needs n JOIN cases c ON c.id = n.case_id "
    "WHERE c.site = :site AND c.created_at >= :start AND c.created_at < :end "
    "GROUP BY n.type"
)
_BY_AGE_BAND = text(
    "SELECT cl.age_band, count(*) FROM clients cl JOIN cases c ON c.id = cl.case_id "
    "WHERE c.site = :site AND c.created_at >= :start AND c.created_at < :end "
    "GROUP BY cl.age_band ORDER BY cl.age_band"
)
_BY_CARE_LEVEL = text(
    "SELECT cl.care_level, count(*) FROM clients cl JOIN cases c ON c.id = cl.case_id "
    "WHERE c.site = :site AND c.created_at >= :start AND c.created_at < :end "
    "GROUP BY cl.care_level ORDER BY cl.care_level"
)


class Counts(NamedTuple):
    cases: int
    erased: int
    by_need: list[tuple[str, str, int]]
    by_age_band: list[tuple[str, int]]
    by_care_level: list[tuple[str, int]]


async def counts(session: AsyncSession, site: str, start: datetime, end: datetime) -> Counts:
    params = {"site": site, "start": start, "end": end}
    cases, erased = (await session.execute(_CASES, params)).one()
    return Counts(
        cases=cases,
        erased=erased,
        by_need=[(r[0], r[1], r[2]) for r in (await session.execute(_BY_NEED, params)).all()],
        by_age_band=[(r[0], r[1]) for r in (await session.execute(_BY_AGE_BAND, params)).all()],
        by_care_level=[(r[0], r[1]) for r in (await session.execute(_BY_CARE_LEVEL, params)).all()],
    )


async def needs_by_type(
    session: AsyncSession, site: str, start: datetime, end: datetime
) -> dict[str, int]:
    """How many needs of each type the cases opened in [start, end) asked for."""
    params = {"site": site, "start": start, "end": end}
    return {row[0]: row[1] for row in (await session.execute(_NEEDS_BY_TYPE, params)).all()}
