"""Events of the scheduling service (topic `scheduling.bookings`, key = case id).

Keyed by case rather than booking, so a case's bookings and refusals arrive in order.
"""

from datetime import datetime
from typing import ClassVar
from uuid import UUID

from cq_shared.contracts.common import PREFIX, CaseEvent, ErasureCompleted, Language
from cq_shared.events.catalogue import catalogue
from cq_shared.events.topics import TopicSpec

BOOKINGS_TOPIC = catalogue.declare_topic(
    TopicSpec("scheduling.bookings", owner="scheduling", readers=("intake", "notifications"))
)


@catalogue.register
class BookingConfirmed(CaseEvent):
    event_type: ClassVar[str] = f"{PREFIX}.scheduling.booking.confirmed.v1"
    topic: ClassVar[str] = BOOKINGS_TOPIC

    booking_id: UUID
    need_id: UUID
    resource_type: str  # guest_apartment, counselling, day_care_place, ...
    resource_name: str
    start: datetime
    end: datetime
    staff_name: str | None = None
    staff_language: Language | None = None


@catalogue.register
class BookingUnavailable(CaseEvent):
    """No capacity for a need in the requested time: the case shows it, a person acts."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.booking.unavailable.v1"
    topic: ClassVar[str] = BOOKINGS_TOPIC

    need_id: UUID
    resource_type: str
    requested_start: datetime | None = None
    requested_end: datetime | None = None
    reason: str  # no_capacity, no_resource, no_staff_with_language


@catalogue.register
class SchedulingErasureCompleted(ErasureCompleted):
    event_type: ClassVar[str] = f"{PREFIX}.scheduling.erasure.completed.v1"
    topic: ClassVar[str] = BOOKINGS_TOPIC


class CourseRegistrationEvent(CaseEvent):
    """A registration for a course changed (issue 9). The course's title, language and first
    session are repeated, so notifications can write to the person without asking."""

    registration_id: UUID
    course_id: UUID
    need_id: UUID | None = None  # the case's need, when the registration came through intake
    title: str
    language: Language
    first_session: datetime | None = None


@catalogue.register
class CourseRegistrationConfirmed(CourseRegistrationEvent):
    """Registered with a place (a free seat at once)."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.course.registration.confirmed.v1"
    topic: ClassVar[str] = BOOKINGS_TOPIC


@catalogue.register
class CourseRegistrationWaitlisted(CourseRegistrationEvent):
    """The course is full: on the waiting list, `position` 1 being the next to move up."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.course.registration.waitlisted.v1"
    topic: ClassVar[str] = BOOKINGS_TOPIC

    position: int


@catalogue.register
class CourseRegistrationOffered(CourseRegistrationEvent):
    """A place freed up and is held for this person until `expires_at` (policy `offer`)."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.course.registration.offered.v1"
    topic: ClassVar[str] = BOOKINGS_TOPIC

    expires_at: datetime


@catalogue.register
class CourseRegistrationPromoted(CourseRegistrationEvent):
    """Confirmed after waiting: promoted at once (policy `automatic`) or offer accepted."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.course.registration.promoted.v1"
    topic: ClassVar[str] = BOOKINGS_TOPIC


@catalogue.register
class CourseRegistrationCancelled(CourseRegistrationEvent):
    """Cancelled by staff: a held place goes to the next person waiting."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.course.registration.cancelled.v1"
    topic: ClassVar[str] = BOOKINGS_TOPIC


@catalogue.register
class CourseRegistrationDeclined(CourseRegistrationEvent):
    """An offered place was declined; it is offered to the next person waiting."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.course.registration.declined.v1"
    topic: ClassVar[str] = BOOKINGS_TOPIC


@catalogue.register
class CourseRegistrationExpired(CourseRegistrationEvent):
    """An offered place was not taken in time; it is offered to the next person waiting."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.course.registration.expired.v1"
    topic: ClassVar[str] = BOOKINGS_TOPIC
