"""What scheduling's `BookingSeriesChanged` (a recurring day-care need's whole state, told
after every change) says about the need: the state the case view shows and the series'
figures, taken from the event as they are (never added up here).

The state, in this order:
- `cancelled` when no day is left (cancelled whole);
- `offered` while a day's freed place is held for the person (policy `offer`);
- `waitlisted` while any day waits for a place: the case is not arranged while days wait,
  as a course need on a waiting list holds it back too;
- `booked` when every day left is booked;
- `unavailable` otherwise: a day found no place and the site keeps no waiting list for it,
  so somebody has to act (the case needs attention)."""

from cq_intake.cases.schemas import NeedDetails
from cq_intake.cases.status import Progress
from cq_shared.contracts.scheduling import BookingSeriesChanged

OFFERED = "offered"  # SeriesOccurrence.status of a day whose freed place is held


def series_report(payload: BookingSeriesChanged) -> tuple[Progress, NeedDetails]:
    details = NeedDetails(
        resource_type=payload.resource_type,
        days_total=payload.total,
        days_booked=payload.booked,
        next_date=payload.next_date,
        waitlisted_dates=payload.waitlisted_dates,
    )
    return _progress(payload), details


def _progress(payload: BookingSeriesChanged) -> Progress:
    if payload.total == 0:
        return Progress.SERIES_CANCELLED
    if any(day.status == OFFERED for day in payload.occurrences):
        return Progress.SERIES_OFFERED
    if payload.waitlisted_dates:
        return Progress.SERIES_WAITLISTED
    if payload.booked == payload.total:
        return Progress.SERIES_BOOKED
    return Progress.SERIES_UNAVAILABLE
