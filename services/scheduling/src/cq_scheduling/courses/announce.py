"""A course's public figures on `public.courses.v1` (no person in them), staged in the
transaction of a change, under the pool's lock: a course's announcements follow its changes
in commit order, and the last one is right.

Only a change of the public figures is announced (docs/decisions/0015): an event per
registration, even with the same figures, would let a branch count registrations. The
waiting list is told as 0, "some" (1 to 4, withheld) or a multiple of five, so that counting
events between two published values cannot recover a small one either."""

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
    if (staged := await announcement(session, course, now=now)) is not None:
        await writer.add_many(session, [staged])


async def announcement(session: AsyncSession, course: CourseRow, *, now: datetime) -> Staged | None:
    """The course's figures as they stand in this transaction, to stage for the outbox (with
    other events of the same change in one `add_many`); None if they are the ones announced
    last."""
    figures = (await waitlist.figures(session, [course.id]))[course.id]
    starts = await repository.next_starts(session, course.id, now=now, limit=NEXT_SESSIONS)
    # The same rule as every public count (docs/decisions/0015): 1 to 4 people waiting are
    # few enough to be recognised at a small site, so only "some" is told; more are told in
    # steps of five.
    withheld = 0 < figures.waitlisted < SMALL_COUNT_THRESHOLD
    waiting = figures.waitlisted - figures.waitlisted % SMALL_COUNT_THRESHOLD
    event = CourseSeatsChanged(
        site=course.site,
        course_id=course.id,
        title=course.title,
        language=course.language,
        capacity=course.capacity,
        free=course.capacity - figures.confirmed - figures.offered,
        waitlisted=None if withheld else waiting,
        waitlisted_withheld=withheld,
        next_sessions=starts,
    )
    if not await repository.announce_if_changed(session, course.id, event.model_dump(mode="json")):
        return None
    return Staged(event, str(course.id), course.site)
