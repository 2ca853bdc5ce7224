"""The events a booking decision becomes (contract: cq_shared.contracts.scheduling)."""

from cq_scheduling.bookings.models import Booking
from cq_shared.contracts import Language
from cq_shared.contracts.scheduling import BookingConfirmed


class Reason:
    """Why a need could not be booked (BookingUnavailable.reason)."""

    NO_CAPACITY = "no_capacity"  # the resource(s) exist but are taken for the period
    NO_RESOURCE = "no_resource"  # the site has nothing of that type at all
    NO_STAFF_WITH_LANGUAGE = "no_staff_with_language"  # counsellors exist, none speaks it
    INVALID_PERIOD = "invalid_period"  # e.g. Kurzzeitpflege for zero days


def confirmed(
    booking: Booking,
    resource_name: str,
    staff_name: str | None = None,
    staff_language: Language | None = None,
) -> BookingConfirmed:
    if booking.case_id is None or booking.need_id is None:
        raise ValueError("only bookings for a case's need are announced")
    return BookingConfirmed(
        booking_id=booking.id,
        case_id=booking.case_id,
        need_id=booking.need_id,
        site=booking.site,
        resource_type=booking.resource_type,
        resource_name=resource_name,
        start=booking.starts_at,
        end=booking.ends_at,
        staff_name=staff_name,
        staff_language=staff_language,
    )
