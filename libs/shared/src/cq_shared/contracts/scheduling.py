"""Events of the scheduling service (topic `scheduling.bookings`, key = case id).

Keyed by case rather than booking, so a case's bookings and refusals arrive in order.
"""

from datetime import date, datetime
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, Field

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


@catalogue.register
class BookingCancelled(CaseEvent):
    """A booking of a case was cancelled, by hand or with its series (issue 9: "every
    cancellation reaches everyone"). `cancelled_by` is a role, never a person's name."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.booking.cancelled.v1"
    topic: ClassVar[str] = BOOKINGS_TOPIC

    booking_id: UUID
    need_id: UUID | None = None  # None: booked for the case by hand, without a need
    resource_type: str
    start: datetime
    end: datetime
    reason: str  # cancelled (one booking), series_cancelled (with its series from a date on)
    cancelled_by: str  # the role of who cancelled: coordinator, site_admin, ...


class PlaceWaitlistEvent(CaseEvent):
    """A case's wait for a place (a day-care place on a day, the guest apartment for a
    period) changed: the places' side of the one waiting list (decision 0018)."""

    entry_id: UUID
    need_id: UUID | None = None
    resource_type: str
    start: datetime  # the period asked for
    end: datetime


@catalogue.register
class PlaceWaitlisted(PlaceWaitlistEvent):
    """No place was free for the period and the site waitlists this type: the case waits,
    `position` 1 being the next to get a place that frees up."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.place.waitlisted.v1"
    topic: ClassVar[str] = BOOKINGS_TOPIC

    position: int


@catalogue.register
class PlaceOffered(PlaceWaitlistEvent):
    """A place freed up and is held for this case until `expires_at` (policy `offer`): the
    booking `booking_id` is held, not yet confirmed."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.place.offered.v1"
    topic: ClassVar[str] = BOOKINGS_TOPIC

    booking_id: UUID
    resource_name: str
    expires_at: datetime


@catalogue.register
class PlacePromoted(PlaceWaitlistEvent):
    """The case waited and now has the place: booking `booking_id` is confirmed (policy
    `automatic`, or an offer accepted)."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.place.promoted.v1"
    topic: ClassVar[str] = BOOKINGS_TOPIC

    booking_id: UUID
    resource_name: str


@catalogue.register
class PlaceWaitEnded(PlaceWaitlistEvent):
    """The case no longer waits for the place, without getting it: `status` cancelled (by
    staff or with its series), declined (an offer) or expired (an offer not taken in time)."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.place.wait-ended.v1"
    topic: ClassVar[str] = BOOKINGS_TOPIC

    status: str


class SeriesOccurrence(BaseModel):
    """One day of a series: `booked` (booking_id), `waitlisted` (entry_id, position),
    `cancelled` (freed with the series) or `unavailable` (no place, and the site keeps no
    waiting list for the type)."""

    date: date
    status: str
    booking_id: UUID | None = None
    entry_id: UUID | None = None
    position: int | None = None


@catalogue.register
class BookingSeriesChanged(CaseEvent):
    """The whole state of a recurring need (a day guest every Tuesday and Thursday) after a
    change: booked, cancelled from a date on, a waiting day promoted. The case view shows it
    as it is ("booked 12 of 16, next 5 March, waiting: 7 and 14 March") without adding up
    per-day events; every occurrence's own state is in `occurrences`."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.booking-series.changed.v1"
    topic: ClassVar[str] = BOOKINGS_TOPIC

    need_id: UUID
    resource_type: str
    change: str  # booked, cancelled, promoted, wait_ended
    total: int  # occurrences not cancelled
    booked: int
    next_date: date | None = None  # the first booked day from today on
    waitlisted_dates: list[date] = Field(default_factory=list)
    occurrences: list[SeriesOccurrence]
