"""The events the waiting list's moves of a course become (cq_shared.contracts.scheduling,
topic scheduling.bookings, keyed by case)."""

from collections.abc import Iterable

from cq_scheduling.courses.repository import CourseRow
from cq_scheduling.waitlist.models import EntryStatus
from cq_scheduling.waitlist.queue import Transition
from cq_shared.contracts import Language
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
from cq_shared.messaging.outbox import Staged

_ENDED: dict[EntryStatus, type[CourseRegistrationEvent]] = {
    EntryStatus.CANCELLED: CourseRegistrationCancelled,
    EntryStatus.DECLINED: CourseRegistrationDeclined,
    EntryStatus.EXPIRED: CourseRegistrationExpired,
}


def staged(course: CourseRow, moves: Iterable[Transition]) -> list[Staged]:
    return [Staged(event, str(event.case_id), event.site) for event in events(course, moves)]


def events(course: CourseRow, moves: Iterable[Transition]) -> list[CourseRegistrationEvent]:
    return [_event(course, move) for move in moves]


def _event(course: CourseRow, move: Transition) -> CourseRegistrationEvent:
    entry = move.entry
    common = {
        "case_id": entry.case_id,
        "site": entry.site,
        "registration_id": entry.id,
        "course_id": course.id,
        "need_id": entry.need_id,
        "title": course.title,
        "language": Language(course.language),
        "first_session": course.first_session,
    }
    after = move.after
    if after in _ENDED:
        return _ENDED[after](**common)
    if after == EntryStatus.OFFERED:
        assert entry.offer_expires_at is not None, "an offer has an end (a CHECK says so)"
        return CourseRegistrationOffered(**common, expires_at=entry.offer_expires_at)
    if after == EntryStatus.WAITLISTED:
        assert move.position is not None, "a new waiting entry has its position"
        return CourseRegistrationWaitlisted(**common, position=move.position)
    if move.before is None:
        return CourseRegistrationConfirmed(**common)
    return CourseRegistrationPromoted(**common)
