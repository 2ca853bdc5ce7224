"""Following a case: what scheduling and volunteering report about its needs.

`report_of` turns an event into one `Report` (pure); `apply_report` applies it to the case
inside the consumer's inbox transaction."""

import logging
import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_intake.cases import repository
from cq_intake.cases.course_reports import COURSE_EVENTS, course_report
from cq_intake.cases.models import Need
from cq_intake.cases.place_reports import PLACE_EVENTS, place_report
from cq_intake.cases.schemas import NeedDetails
from cq_intake.cases.series_reports import series_report
from cq_intake.cases.status import Progress, case_status, next_need_state
from cq_shared.contracts.scheduling import (
    BookingCancelled,
    BookingConfirmed,
    BookingSeriesChanged,
    BookingUnavailable,
    CourseRegistrationEvent,
    PlaceWaitlistEvent,
)
from cq_shared.contracts.volunteering import (
    MatchAccepted,
    MatchDeclined,
    MatchProposed,
    MatchUnfilled,
)
from cq_shared.events.payload import EventPayload
from cq_shared.messaging.retry import PermanentError

log = logging.getLogger(__name__)

# The event types intake follows, for the consumer to subscribe to.
FOLLOWED: tuple[type[EventPayload], ...] = (
    BookingConfirmed,
    BookingUnavailable,
    BookingCancelled,
    *COURSE_EVENTS,
    *PLACE_EVENTS,
    BookingSeriesChanged,
    MatchProposed,
    MatchAccepted,
    MatchDeclined,
    MatchUnfilled,
)


_AboutNeed = (
    BookingConfirmed
    | BookingUnavailable
    | BookingCancelled
    | CourseRegistrationEvent
    | PlaceWaitlistEvent
    | BookingSeriesChanged
    | MatchProposed
    | MatchAccepted
    | MatchDeclined
    | MatchUnfilled
)


@dataclass(frozen=True)
class Report:
    case_id: uuid.UUID
    need_id: uuid.UUID
    site: str
    progress: Progress
    details: NeedDetails
    # About one day or booking of the need: a recurring need follows its series' own event
    # (the whole state) instead, or a day's move would stand for the whole series.
    per_day: bool = False


def report_of(payload: EventPayload) -> Report | None:
    """The one thing an event says about one need (None: about no need of the case, e.g. a
    booking made by hand)."""
    match payload:
        case BookingConfirmed():
            details = NeedDetails(
                booking_id=payload.booking_id,
                resource_type=payload.resource_type,
                resource_name=payload.resource_name,
                start=payload.start,
                end=payload.end,
                staff_name=payload.staff_name,
            )
            return _report(payload, Progress.BOOKING_CONFIRMED, details)
        case BookingUnavailable():
            details = NeedDetails(resource_type=payload.resource_type, reason=payload.reason)
            return _report(payload, Progress.BOOKING_UNAVAILABLE, details)
        case BookingCancelled() | CourseRegistrationEvent() | PlaceWaitlistEvent():
            return _place_report(payload)
        case BookingSeriesChanged():
            return _report(payload, *series_report(payload))
        case MatchProposed() | MatchAccepted() | MatchDeclined() | MatchUnfilled():
            return _match_report(payload)
    raise PermanentError(f"intake does not follow {payload.event_type}")


def _place_report(
    payload: BookingCancelled | CourseRegistrationEvent | PlaceWaitlistEvent,
) -> Report | None:
    """A cancelled booking, a course registration's or a waiting place's move. Any may
    concern no need: staff booked, registered or waitlisted the case by hand."""
    if payload.need_id is None:
        return None
    if isinstance(payload, CourseRegistrationEvent):
        return _report(payload, *course_report(payload))
    if isinstance(payload, PlaceWaitlistEvent):
        return _report(payload, *place_report(payload), per_day=True)
    details = NeedDetails(
        booking_id=payload.booking_id,
        resource_type=payload.resource_type,
        start=payload.start,
        end=payload.end,
        reason=payload.reason,
    )
    return _report(payload, Progress.CANCELLED, details, per_day=True)


def _match_report(payload: MatchProposed | MatchAccepted | MatchDeclined | MatchUnfilled) -> Report:
    """Of a proposal only the match id is kept: the volunteer's name and email belong to
    volunteering until they accept."""
    match payload:
        case MatchProposed():
            return _report(payload, Progress.MATCH_PROPOSED, NeedDetails(match_id=payload.match_id))
        case MatchAccepted():
            details = NeedDetails(
                match_id=payload.match_id, volunteer_given_name=payload.volunteer_given_name
            )
            return _report(payload, Progress.MATCH_ACCEPTED, details)
        case MatchDeclined():
            return _report(payload, Progress.MATCH_DECLINED, NeedDetails())
        case MatchUnfilled():
            return _report(payload, Progress.MATCH_UNFILLED, NeedDetails(reason=payload.reason))


def _report(
    payload: _AboutNeed, progress: Progress, details: NeedDetails, *, per_day: bool = False
) -> Report:
    assert payload.need_id is not None, "checked by the caller where it may be missing"
    return Report(payload.case_id, payload.need_id, payload.site, progress, details, per_day)


async def apply_report(session: AsyncSession, report: Report, *, now: datetime) -> None:
    """Move the need and recompute the case's status. A report about a case or need intake
    does not know (or of another site) can never succeed: PermanentError, to the DLQ."""
    case = await repository.lock_case(session, report.case_id)
    if case is None:
        raise PermanentError(f"unknown case {report.case_id}")
    if case.site != report.site:
        raise PermanentError(f"case {case.id} is not a case of site {report.site}")
    needs = await repository.needs_of(session, case.id)
    need = next((need for need in needs if need.id == report.need_id), None)
    if need is None:
        raise PermanentError(f"case {case.id} has no need {report.need_id}")
    if report.per_day and _recurring(need):
        # A day of a series (cancelled with it, promoted): BookingSeriesChanged follows in
        # the same transaction with the series' whole state, which the need shows.
        log.info("a day of series %s: its series' event tells the need", need.id)
        return
    state = next_need_state(need.state, report.progress)
    if state is None:
        # Stale: it crossed a later outcome (e.g. a decline after a confirmation).
        log.info("ignored %s for need %s in state %s", report.progress, need.id, need.state.value)
        return
    need.state = state
    need.details = report.details.model_dump(mode="json", exclude_none=True)
    need.updated_at = now
    case.status = case_status(case.status, [(n.type, n.state) for n in needs])
    case.updated_at = now
    session.add_all([need, case])


def _recurring(need: Need) -> bool:
    return need.until is not None or bool(need.weekdays) or need.rrule is not None
