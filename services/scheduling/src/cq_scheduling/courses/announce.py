"""A course's public figures on `public.courses.v1` (no person in them), staged in the
transaction of every change, under the pool's lock: a course's announcements follow its
changes in commit order, and the last one is right."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.courses import repository
from cq_scheduling.courses.repository import CourseRow
from cq_scheduling.waitlist import repository as waitlist
from cq_shared.contracts.public import SMALL_COUNT_THRESHOLD, CourseSeatsChanged
from cq_shared.messaging.outbox import EventWriter, Staged

NEXT_SESSIONS = 5


async def announce_course(
    session: AsyncSession, writer: EventWriter, course: CourseRow, *, now: datetime
) -> None:
    await writer.add_many(session, [await announcement(session, course, now=now)])


async def announcement(session: AsyncSession, course: CourseRow, *, now: datetime) -> Staged:
    """The course's figures as they stand in this transaction, staged for the outbox (with
    other events of the same change in one `add_many`)."""
    figures = (await waitlist.figures(session, [course.id]))[course.id]
    starts = await repository.next_starts(session, course.id, now=now, limit=NEXT_SESSIONS)
    # The same rule as every public count (docs/decisions/0015): 1 to 4 people waiting are
    # few enough to be recognised at a small site, so only "some" is told.
    withheld = 0 < figures.waitlisted < SMALL_COUNT_THRESHOLD
    event = CourseSeatsChanged(
        site=course.site,
        course_id=course.id,
        title=course.title,
        language=course.language,
        capacity=course.capacity,
        free=course.capacity - figures.confirmed - figures.offered,
        waitlisted=None if withheld else figures.waitlisted,
        waitlisted_withheld=withheld,
        next_sessions=starts,
    )
    return Staged(event, str(course.id), course.site)
