"""What scheduling's waiting-list events for places (issue 9, decision 0018: a day-care day,
the guest apartment) say about a need: its new state and the details the case view shows
(the period asked for, the place on the waiting list, the offer's deadline, the booking once
promoted, why a wait ended). Pure, like status.py.

A day of a recurring need sends these too; its need follows the series' own event instead
(series_reports.py), so these are marked `per_day` for apply_report to tell apart."""

from cq_intake.cases.schemas import NeedDetails
from cq_intake.cases.status import Progress
from cq_shared.contracts.scheduling import (
    PlaceOffered,
    PlacePromoted,
    PlaceWaitEnded,
    PlaceWaitlisted,
    PlaceWaitlistEvent,
)

PLACE_EVENTS: tuple[type[PlaceWaitlistEvent], ...] = (
    PlaceWaitlisted,
    PlaceOffered,
    PlacePromoted,
    PlaceWaitEnded,
)
# PlaceWaitEnded.status -> the need's end: withdrawn (cancelled, declined) or run out.
_ENDED: dict[str, Progress] = {
    "cancelled": Progress.CANCELLED,
    "declined": Progress.DECLINED,
    "expired": Progress.EXPIRED,
}


def place_report(payload: PlaceWaitlistEvent) -> tuple[Progress, NeedDetails]:
    details = NeedDetails(
        entry_id=payload.entry_id,
        resource_type=payload.resource_type,
        start=payload.start,
        end=payload.end,
    )
    match payload:
        case PlaceWaitlisted():
            return Progress.WAITLISTED, details.model_copy(update={"position": payload.position})
        case PlaceOffered():
            offer = {
                "booking_id": payload.booking_id,
                "resource_name": payload.resource_name,
                "offer_expires_at": payload.expires_at,
            }
            return Progress.OFFERED, details.model_copy(update=offer)
        case PlacePromoted():
            booked = {"booking_id": payload.booking_id, "resource_name": payload.resource_name}
            return Progress.BOOKING_CONFIRMED, details.model_copy(update=booked)
        case PlaceWaitEnded():
            ended = _ENDED.get(payload.status, Progress.CANCELLED)
            return ended, details.model_copy(update={"reason": payload.status})
    raise AssertionError(f"not a place event: {payload.event_type}")
