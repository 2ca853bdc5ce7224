"""What scheduling's course registration events (issue 9) say about a prevention_course need:
the need's new state and the details the case view shows (the course, its first session, the
place on the waiting list, the offer's deadline). Pure, like status.py."""

from cq_intake.cases.schemas import NeedDetails
from cq_intake.cases.status import Progress
from cq_shared.contracts.scheduling import (
    CourseRegistrationCancelled,
    CourseRegistrationConfirmed,
    CourseRegistrationDeclined,
    CourseRegistrationEvent,
    CourseRegistrationExpired,
    CourseRegistrationOffered,
    CourseRegistrationPromoted,
    CourseRegistrationWaitlisted,
)

# A confirmed and a promoted registration are the same for the case: the need is booked.
PROGRESS: dict[type[CourseRegistrationEvent], Progress] = {
    CourseRegistrationConfirmed: Progress.BOOKING_CONFIRMED,
    CourseRegistrationPromoted: Progress.BOOKING_CONFIRMED,
    CourseRegistrationWaitlisted: Progress.WAITLISTED,
    CourseRegistrationOffered: Progress.OFFERED,
    CourseRegistrationCancelled: Progress.CANCELLED,
    CourseRegistrationDeclined: Progress.DECLINED,
    CourseRegistrationExpired: Progress.EXPIRED,
}
COURSE_EVENTS: tuple[type[CourseRegistrationEvent], ...] = tuple(PROGRESS)
# The resource type a course place has in scheduling's vocabulary (and notifications').
COURSE = "course"


def course_report(payload: CourseRegistrationEvent) -> tuple[Progress, NeedDetails]:
    details = NeedDetails(
        resource_type=COURSE,
        registration_id=payload.registration_id,
        course_id=payload.course_id,
        course_title=payload.title,
        start=payload.first_session,
        position=payload.position if isinstance(payload, CourseRegistrationWaitlisted) else None,
        offer_expires_at=(
            payload.expires_at if isinstance(payload, CourseRegistrationOffered) else None
        ),
    )
    return PROGRESS[type(payload)], details
