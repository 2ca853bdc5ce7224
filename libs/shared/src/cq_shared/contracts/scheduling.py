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
