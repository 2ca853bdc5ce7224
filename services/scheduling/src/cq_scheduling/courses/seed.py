"""Demo courses for `make run` (demo_data.toml's [[courses]]): created once, with invented
registrations (no person behind them) that leave the places the file says free."""

import uuid
from datetime import datetime, time, timedelta

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.courses import repository
from cq_scheduling.courses.announce import announce_course
from cq_scheduling.courses.models import Course, CourseSession
from cq_scheduling.waitlist import queue
from cq_scheduling.waitlist import repository as waitlist
from cq_scheduling.waitlist.models import PoolKind, Promotion
from cq_shared.contracts import Language
from cq_shared.recurrence import rule_starts
from cq_shared.service import ServiceContext
from cq_shared.sites import Site

IDS = uuid.UUID("0d6f3f5e-8a0c-4d3e-b6a1-6c2f1e7b9a42")  # namespace of the demo course ids


class DemoCourse(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    site: str
    key: str  # stable: the course's id is derived from (site, key)
    title: str
    language: Language
    capacity: int = Field(ge=1, le=500)
    free: int = Field(ge=0)  # places left free after the invented registrations
    promotion: Promotion
    hold_hours: int | None = None
    rrule: str  # from the first `weekday` after today, at `starts` in the site's time
    weekday: int = Field(ge=0, le=6)  # Monday 0
    starts: time
    minutes: int = Field(ge=1, le=720)

    @property
    def id(self) -> uuid.UUID:
        return uuid.uuid5(IDS, f"{self.site}/{self.key}")


_CLAIM = text(
    "INSERT INTO capacity_pools (id, site, kind, capacity, promotion, hold_hours, last_arrival, "
    "created_at) VALUES (:id, :site, :kind, :capacity, :promotion, :hold_hours, 0, :now) "
    "ON CONFLICT (id) DO NOTHING RETURNING id"
)


async def seed_course(session: AsyncSession, context: ServiceContext, demo: DemoCourse) -> bool:
    """Create the course unless it exists (two processes starting at once: one wins the
    pool's insert); True if this call created it."""
    now = context.clock.now()
    values = {
        "id": demo.id,
        "site": demo.site,
        "kind": PoolKind.COURSE.value,
        "capacity": demo.capacity,
        "promotion": demo.promotion.value,
        "hold_hours": demo.hold_hours,
        "now": now,
    }
    if (await session.execute(_CLAIM, values)).first() is None:
        return False
    site = context.sites[demo.site]
    starts = rule_starts(demo.rrule, _first_start(demo, site, now), site.zone)
    length = timedelta(minutes=demo.minutes)
    course = Course(
        id=demo.id,
        site=demo.site,
        title=demo.title,
        language=demo.language,
        rrule=demo.rrule,
        created_at=now,
    )
    sessions = [CourseSession(course_id=demo.id, starts_at=s, ends_at=s + length) for s in starts]
    await repository.insert(session, course, sessions)
    # Invented participants, straight onto the waiting list's seats: no event about them,
    # since no case (and nobody to notify) stands behind them.
    for n in range(demo.capacity - demo.free):
        pool = await waitlist.take_arrival(session, demo.id)
        assert pool is not None, "claimed above"
        case_id = uuid.uuid5(IDS, f"{demo.site}/{demo.key}/participant-{n}")
        await queue.arrive(session, pool, case_id=case_id, need_id=None, now=now)
    row = await repository.one(session, demo.id, now=now)
    assert row is not None, "inserted above"
    await announce_course(session, context.writer, row, now=now)
    return True


def _first_start(demo: DemoCourse, site: Site, now: datetime) -> datetime:
    """The first `weekday` after today, at `starts` on the site's clock."""
    today = site.today(now)
    ahead = (demo.weekday - today.weekday() - 1) % 7 + 1
    return site.at(today + timedelta(days=ahead), demo.starts)
