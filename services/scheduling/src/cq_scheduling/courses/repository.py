"""All SQL about courses (their registrations are the waiting list's). Never commits."""

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.courses.models import Course, CourseSession


@dataclass(frozen=True)
class CourseRow:
    """A course with its pool's settings and its sessions' dates (as of `now`)."""

    id: uuid.UUID
    site: str
    title: str
    language: str
    rrule: str | None
    created_at: datetime
    capacity: int
    promotion: str
    hold_hours: int | None
    session_count: int
    first_session: datetime | None
    next_session: datetime | None
    last_session: datetime | None


# One query for a site's courses and for one course (the other parameter NULL).
_COURSES = """
    SELECT c.id, c.site, c.title, c.language, c.rrule, c.created_at,
           p.capacity, p.promotion, p.hold_hours,
           count(s.starts_at) AS session_count,
           min(s.starts_at) AS first_session,
           min(s.starts_at) FILTER (WHERE s.starts_at >= :now) AS next_session,
           max(s.starts_at) AS last_session
    FROM courses c
    JOIN capacity_pools p ON p.id = c.id
    LEFT JOIN course_sessions s ON s.course_id = c.id
    WHERE (CAST(:site AS text) IS NULL OR c.site = :site)
      AND (CAST(:course AS uuid) IS NULL OR c.id = :course)
    GROUP BY c.id, p.id
    ORDER BY min(s.starts_at), c.title, c.id
    LIMIT :limit
"""
_COURSES_QUERY = text(_COURSES)
_NEXT_STARTS = text(
    "SELECT starts_at FROM course_sessions WHERE course_id = :course AND starts_at >= :now "
    "ORDER BY starts_at LIMIT :limit"
)


async def insert(session: AsyncSession, course: Course, sessions: Sequence[CourseSession]) -> None:
    """The course and its sessions, one statement each (the pool is inserted before)."""
    await session.execute(
        text(
            "INSERT INTO courses (id, site, title, language, rrule, created_at) "
            "VALUES (:id, :site, :title, :language, :rrule, :created_at)"
        ),
        course.model_dump(),
    )
    await session.execute(
        text(
            "INSERT INTO course_sessions (course_id, starts_at, ends_at) "
            "SELECT :course, * FROM unnest(CAST(:starts AS timestamptz[]), "
            "CAST(:ends AS timestamptz[]))"
        ),
        {
            "course": course.id,
            "starts": [s.starts_at for s in sessions],
            "ends": [s.ends_at for s in sessions],
        },
    )


async def of_site(
    session: AsyncSession, site: str, *, now: datetime, limit: int
) -> list[CourseRow]:
    values = {"site": site, "course": None, "now": now, "limit": limit}
    found = await session.execute(_COURSES_QUERY, values)
    return [CourseRow(**row) for row in found.mappings().all()]


async def one(session: AsyncSession, course_id: uuid.UUID, *, now: datetime) -> CourseRow | None:
    values = {"site": None, "course": course_id, "now": now, "limit": 1}
    found = await session.execute(_COURSES_QUERY, values)
    row = found.mappings().first()
    return None if row is None else CourseRow(**row)


async def next_starts(
    session: AsyncSession, course_id: uuid.UUID, *, now: datetime, limit: int
) -> list[datetime]:
    found = await session.execute(_NEXT_STARTS, {"course": course_id, "now": now, "limit": limit})
    return list(found.scalars().all())


_NEED_REGISTERED = text(
    "SELECT EXISTS (SELECT 1 FROM waitlist_entries WHERE case_id = :case AND need_id = :need)"
)


async def need_registered(session: AsyncSession, case_id: uuid.UUID, need_id: uuid.UUID) -> bool:
    """Whether a case's need has had a registration, live or ended (by the case's index)."""
    found = await session.execute(_NEED_REGISTERED, {"case": case_id, "need": need_id})
    return bool(found.scalar_one())


# Compare-and-set: the figures are stored, and the row returned, only if they differ from
# those announced last (jsonb compares by value, not by text).
_ANNOUNCE_IF_CHANGED = text(
    "UPDATE courses SET announced = CAST(:figures AS jsonb) "
    "WHERE id = :course AND announced IS DISTINCT FROM CAST(:figures AS jsonb) RETURNING id"
)


async def announce_if_changed(
    session: AsyncSession, course_id: uuid.UUID, figures: dict[str, Any]
) -> bool:
    """Remember `figures` as the course's last announced ones; False if they were already."""
    found = await session.execute(
        _ANNOUNCE_IF_CHANGED, {"course": course_id, "figures": json.dumps(figures)}
    )
    return found.first() is not None
