"""What a course registration's events tell the person (issue 9): the course's title, its
first session and, by event, the place on the waiting list or the offer's deadline. Dates
are on the site's wall clock.

A decline is not told: the person (or the front desk on their behalf) just gave that answer.
A waiting person is not told when their position improves either (decision 0018), only when
a place is theirs."""

from collections.abc import Callable
from typing import Any

from cq_notifications.deliveries.message import Message
from cq_notifications.templating import TemplateName, Vocabulary
from cq_notifications.templating.dates import format_moment
from cq_shared.contracts.scheduling import (
    CourseRegistrationCancelled,
    CourseRegistrationConfirmed,
    CourseRegistrationEvent,
    CourseRegistrationExpired,
    CourseRegistrationOffered,
    CourseRegistrationPromoted,
    CourseRegistrationWaitlisted,
)
from cq_shared.events.payload import EventPayload
from cq_shared.sites import Site


def _common(event: CourseRegistrationEvent, site: Site, words: Vocabulary) -> dict[str, str]:
    first = event.first_session
    line = (
        words.phrase("course", "first_session", moment=format_moment(words, first, site.zone))
        if first is not None
        else ""
    )
    return {"title": event.title, "first_session_line": line}


def _plain(template: TemplateName) -> Callable[[CourseRegistrationEvent, Site], Message]:
    """A message with the title and the first session only."""

    def message(event: CourseRegistrationEvent, site: Site) -> Message:
        return Message(template, lambda words: _common(event, site, words))

    return message


def course_waitlisted(event: CourseRegistrationWaitlisted, site: Site) -> Message:
    def values(words: Vocabulary) -> dict[str, str]:
        return {**_common(event, site, words), "position": str(event.position)}

    return Message(TemplateName.COURSE_WAITLISTED, values)


def course_offered(event: CourseRegistrationOffered, site: Site) -> Message:
    def values(words: Vocabulary) -> dict[str, str]:
        deadline = format_moment(words, event.expires_at, site.zone)
        return {**_common(event, site, words), "deadline": deadline}

    return Message(TemplateName.COURSE_OFFERED, values)


course_confirmed = _plain(TemplateName.COURSE_CONFIRMED)
course_promoted = _plain(TemplateName.COURSE_PROMOTED)
course_cancelled = _plain(TemplateName.COURSE_CANCELLED)
course_expired = _plain(TemplateName.COURSE_EXPIRED)

FOR_COURSE_CONTACTS: dict[type[EventPayload], Callable[[Any, Site], Message]] = {
    CourseRegistrationConfirmed: course_confirmed,
    CourseRegistrationWaitlisted: course_waitlisted,
    CourseRegistrationOffered: course_offered,
    CourseRegistrationPromoted: course_promoted,
    CourseRegistrationCancelled: course_cancelled,
    CourseRegistrationExpired: course_expired,
}
