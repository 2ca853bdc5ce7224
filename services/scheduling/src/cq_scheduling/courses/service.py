"""Courses created and listed by a site's people over HTTP. Their registrations are in
registrations.py."""

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.courses import repository
from cq_scheduling.courses.announce import announce_course
from cq_scheduling.courses.models import Course, CourseSession
from cq_scheduling.courses.repository import CourseRow
from cq_scheduling.courses.schemas import CourseCreated, CoursePublic, NewCourse
from cq_scheduling.waitlist import repository as waitlist
from cq_scheduling.waitlist.models import CapacityPool, PoolKind, Promotion
from cq_shared.auth import Principal
from cq_shared.contracts import Language, NeedType
from cq_shared.errors import FieldError, InvalidError, NotFoundError
from cq_shared.recurrence import RecurrenceError, rule_starts
from cq_shared.service import ServiceContext
from cq_shared.sites import Site

# Sessions start at most a year ahead (a later one is a typo in the year) and at the
# earliest a day ago (a course entered late, after its first meeting this morning).
COURSE_HORIZON = timedelta(days=366)
LATE_ENTRY = timedelta(days=1)


class UnknownSiteError(NotFoundError):
    """No such site in this deployment's catalogue, or scheduling does not run for it."""

    def __init__(self) -> None:
        super().__init__("There is no site with this id here.")


class CourseNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__("There is no course with this id.")


def site_of(context: ServiceContext, site_id: str) -> Site:
    site = context.sites.get(site_id)
    if site is None or not context.sites.serves(site_id, context.name):
        raise UnknownSiteError
    return site


async def create_course(
    session: AsyncSession, context: ServiceContext, who: Principal, site_id: str, body: NewCourse
) -> CourseCreated:
    """A course and its pool of places; refused with 422 before anything is written when
    the site offers no courses or a session lies outside the horizon."""
    who.require_site(site_id)
    site = site_of(context, site_id)
    if not site.offers(NeedType.PREVENTION_COURSE):
        raise InvalidError.at(
            "title", msg="This site offers no courses.", type="site_offers_no_courses"
        )
    now = context.clock.now()
    periods = _periods(body, site)
    problems = _horizon_problems(periods, now, "sessions" if body.sessions else "rrule")
    if problems:
        raise InvalidError(problems)
    course_id = uuid.uuid4()
    pool = CapacityPool(
        id=course_id,
        site=site_id,
        kind=PoolKind.COURSE,
        capacity=body.capacity,
        promotion=body.promotion,
        hold_hours=body.hold_hours if body.promotion == Promotion.OFFER else None,
        created_at=now,
    )
    course = Course(
        id=course_id,
        site=site_id,
        title=body.title,
        language=body.language,
        rrule=body.rrule,
        created_at=now,
    )
    sessions = [CourseSession(course_id=course_id, starts_at=s, ends_at=e) for s, e in periods]
    await waitlist.create_pool(session, pool)
    await repository.insert(session, course, sessions)
    row = await repository.one(session, course_id, now=now)
    assert row is not None, "inserted above"
    await announce_course(session, context.writer, row, now=now)
    return CourseCreated(course_id=course_id)


def _periods(body: NewCourse, site: Site) -> list[tuple[datetime, datetime]]:
    if body.sessions is not None:
        return sorted((s.start, s.end) for s in body.sessions)
    assert body.rrule is not None, "the schema gives sessions or a rule"
    assert body.first_session_start is not None, "the schema requires it with a rule"
    assert body.session_minutes is not None, "the schema requires it with a rule"
    try:
        starts = rule_starts(body.rrule, body.first_session_start, site.zone)
    except RecurrenceError as error:
        raise InvalidError([error.problem]) from None
    length = timedelta(minutes=body.session_minutes)
    return [(start, start + length) for start in starts]


def _horizon_problems(
    periods: Sequence[tuple[datetime, datetime]], now: datetime, where: str
) -> list[FieldError]:
    if periods[0][0] < now - LATE_ENTRY:
        return [FieldError.in_body(where, msg="A session lies in the past.", type="date_in_past")]
    if periods[-1][0] > now + COURSE_HORIZON:
        message = "A session starts more than a year ahead."
        return [FieldError.in_body(where, msg=message, type="date_too_far")]
    return []


async def list_courses(
    session: AsyncSession, who: Principal, site_id: str, *, now: datetime, limit: int
) -> list[CoursePublic]:
    """A site's courses with their figures, the earliest first (no person in them)."""
    who.require_site(site_id)
    rows = await repository.of_site(session, site_id, now=now, limit=limit)
    figures = await waitlist.figures(session, [row.id for row in rows])
    return [_public(row, figures[row.id]) for row in rows]


async def course(session: AsyncSession, course_id: uuid.UUID, *, now: datetime) -> CourseRow:
    found = await repository.one(session, course_id, now=now)
    if found is None:
        raise CourseNotFoundError
    return found


def _public(row: CourseRow, figures: waitlist.Figures) -> CoursePublic:
    return CoursePublic(
        course_id=row.id,
        site=row.site,
        title=row.title,
        language=Language(row.language),
        capacity=row.capacity,
        confirmed=figures.confirmed,
        offered=figures.offered,
        waitlisted=figures.waitlisted,
        free=row.capacity - figures.confirmed - figures.offered,
        promotion=Promotion(row.promotion),
        hold_hours=row.hold_hours,
        session_count=row.session_count,
        first_session=row.first_session,
        next_session=row.next_session,
        last_session=row.last_session,
        rrule=row.rrule,
        created_at=row.created_at,
    )
