"""The bookings API's request and response models."""

import uuid
from datetime import timedelta
from typing import Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, model_validator

from cq_scheduling.bookings.models import Booking
from cq_scheduling.bookings.repository import BookingRow
from cq_shared.contracts.inputs import Instant, SiteId

# A manual booking longer than this is a typo, not a plan (Kurzzeitpflege: at most 8 weeks).
LONGEST_BOOKING = timedelta(days=366)


class NewBooking(BaseModel):
    """A coordinator books a resource by hand (e.g. the guest apartment for a known stay)."""

    model_config = ConfigDict(extra="forbid")

    site: SiteId
    resource_id: uuid.UUID
    start: Instant
    end: Instant
    case_id: uuid.UUID | None = None
    need_id: uuid.UUID | None = None

    @model_validator(mode="after")
    def _period(self) -> Self:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        if self.end - self.start > LONGEST_BOOKING:
            raise ValueError("a booking may last at most 366 days")
        if self.need_id is not None and self.case_id is None:
            raise ValueError("need_id needs a case_id")
        return self


class BookingPublic(BaseModel):
    booking_id: uuid.UUID
    site: str
    case_id: uuid.UUID | None
    need_id: uuid.UUID | None
    resource_type: str
    resource_id: uuid.UUID | None
    resource_name: str
    start: AwareDatetime
    end: AwareDatetime
    status: str
    staff_name: str | None
    created_at: AwareDatetime

    @classmethod
    def from_row(cls, row: BookingRow) -> "BookingPublic":
        booking, resource_name, staff_name = row
        return cls.of(booking, resource_name, staff_name)

    @classmethod
    def of(cls, booking: Booking, resource_name: str, staff_name: str | None) -> "BookingPublic":
        return cls(
            booking_id=booking.id,
            site=booking.site,
            case_id=booking.case_id,
            need_id=booking.need_id,
            resource_type=booking.resource_type,
            resource_id=booking.resource_id,
            resource_name=resource_name,
            start=booking.starts_at,
            end=booking.ends_at,
            status=booking.status,
            staff_name=staff_name,
            created_at=booking.created_at,
        )
