"""Intake's `prevention_course` needs: a case asks a place in a course of its site (issue 9,
journey 2). Scheduling's case-needs consumer routes them here (bookings/case_needs.py); this
module imports nothing of the bookings area, so the areas stay acyclic."""

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.courses import registrations, repository
from cq_scheduling.courses.registrations import CourseOverError
from cq_scheduling.courses.service import CourseNotFoundError
from cq_shared.contracts.intake import AnyCaseOpened, NeedRequested
from cq_shared.contracts.scheduling import BookingUnavailable
from cq_shared.service import ServiceContext

log = logging.getLogger(__name__)

# The resource type of a course place (notifications' vocabulary has its label).
COURSE = "course"
# Why a course need got no registration; the case shows it and a person acts.
UNKNOWN_COURSE = "unknown_course"  # no such course at the case's site
COURSE_OVER = "course_over"  # its last session has begun


async def register_course_need(
    session: AsyncSession, context: ServiceContext, case: AnyCaseOpened, need: NeedRequested
) -> BookingUnavailable | None:
    """Register the case for the need's course: the registration's own events (confirmed or
    waitlisted, with the position) tell the outcome, so None; or the refusal to tell, when
    the course is unknown at the case's site or has ended. A need that had a registration
    before (a republished case, a registration cancelled since) is left as it is: registering
    again would undo a cancellation."""
    if need.course_id is None:
        # No course chosen: people find one with the person, as before courses were booked.
        return None
    if await repository.need_registered(session, case.case_id, need.need_id):
        log.info("need %s has its course registration already", need.need_id)
        return None
    try:
        await registrations.register(
            session,
            context,
            need.course_id,
            case_id=case.case_id,
            need_id=need.need_id,
            site=case.site,
            urgency=case.urgency,
        )
    except CourseNotFoundError:
        return _refused(case, need, UNKNOWN_COURSE)
    except CourseOverError:
        return _refused(case, need, COURSE_OVER)
    return None


def _refused(case: AnyCaseOpened, need: NeedRequested, reason: str) -> BookingUnavailable:
    return BookingUnavailable(
        case_id=case.case_id,
        need_id=need.need_id,
        site=case.site,
        resource_type=COURSE,
        reason=reason,
    )
