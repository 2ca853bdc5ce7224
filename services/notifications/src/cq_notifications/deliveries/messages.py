"""What each event says: its template and the values it fills in, per language.

Only the need type and booking facts reach a message, never health details (care level,
notes): e-mail is not a confidential channel.
"""

from collections.abc import Callable
from typing import Any

from cq_notifications.deliveries.cancellations import booking_cancelled
from cq_notifications.deliveries.course_messages import FOR_COURSE_CONTACTS
from cq_notifications.deliveries.message import Message
from cq_notifications.deliveries.place_messages import FOR_PLACE_CONTACTS
from cq_notifications.deliveries.series_messages import series_changed
from cq_notifications.templating import TemplateName, Vocabulary
from cq_notifications.templating.dates import format_period
from cq_shared.contracts.common import NeedType
from cq_shared.contracts.intake import CaseOpened, CaseOpenedV2
from cq_shared.contracts.scheduling import (
    BookingCancelled,
    BookingConfirmed,
    BookingSeriesChanged,
    BookingUnavailable,
)
from cq_shared.contracts.volunteering import MatchAccepted, MatchProposed
from cq_shared.events.payload import EventPayload
from cq_shared.sites import Site

# Which wording of "the volunteer will ..." fits a need.
_ACCOMPANYING = frozenset({NeedType.ACCOMPANIMENT, NeedType.DOCTOR_REFERRAL, NeedType.TRANSITION})
_VISITING = frozenset({NeedType.VOLUNTEER_VISIT, NeedType.HOME_VISIT})


def case_opened(event: CaseOpened | CaseOpenedV2, site: Site) -> Message:
    def values(words: Vocabulary) -> dict[str, str]:
        return {"next_steps": words.text("case_opened", event.urgency.value)}

    return Message(TemplateName.CASE_OPENED, values)


def booking_confirmed(event: BookingConfirmed, site: Site) -> Message:
    def values(words: Vocabulary) -> dict[str, str]:
        label = words.lookup("resources", event.resource_type)
        staff = event.staff_name
        return {
            "resource": label or event.resource_name,
            "resource_description": _describe(label, event.resource_name),
            "period": format_period(words, event.start, event.end, site.zone),
            "staff_line": words.phrase("booking", "staff", staff_name=staff) if staff else "",
        }

    return Message(TemplateName.BOOKING_CONFIRMED, values)


def booking_unavailable(event: BookingUnavailable, site: Site) -> Message:
    def values(words: Vocabulary) -> dict[str, str]:
        start, end = event.requested_start, event.requested_end
        requested = (
            words.phrase("booking", "requested", period=format_period(words, start, end, site.zone))
            if start is not None and end is not None
            else ""
        )
        return {
            "resource": words.lookup("resources", event.resource_type)
            or words.text("resources", "other"),
            "requested_line": requested,
        }

    return Message(TemplateName.BOOKING_UNAVAILABLE, values)


def match_proposed(event: MatchProposed) -> Message:
    def values(words: Vocabulary) -> dict[str, str]:
        return {"task": words.text("needs", event.need_type.value)}

    return Message(TemplateName.MATCH_PROPOSED, values)


def volunteer_found(event: MatchAccepted, site: Site) -> Message:
    def values(words: Vocabulary) -> dict[str, str]:
        if event.need_type in _ACCOMPANYING:
            wording = "accompany"
        elif event.need_type in _VISITING:
            wording = "visit"
        else:
            wording = "support"
        sentence = words.phrase(
            "volunteer_found",
            wording,
            volunteer_name=event.volunteer_given_name,
            task=words.text("needs", event.need_type.value),
        )
        return {"volunteer_sentence": sentence}

    return Message(TemplateName.VOLUNTEER_FOUND, values)


def _describe(label: str | None, name: str) -> str:
    """ "Pflegegästewohnung (Haus am Park)"; the name alone when it says the same or the
    resource type has no translation."""
    if label is None or not name.strip() or name.strip().casefold() == label.casefold():
        return label or name
    return f"{label} ({name.strip()})"


# Events that are news for the case's client and relatives, and what each of them says (on the
# site's wall clock). The handlers and the release of parked events (recipients registered
# late) share it.
FOR_CASE_CONTACTS: dict[type[EventPayload], Callable[[Any, Site], Message]] = {
    CaseOpened: case_opened,
    CaseOpenedV2: case_opened,
    BookingConfirmed: booking_confirmed,
    BookingUnavailable: booking_unavailable,
    BookingCancelled: booking_cancelled,
    MatchAccepted: volunteer_found,
    **FOR_COURSE_CONTACTS,
    **FOR_PLACE_CONTACTS,
    BookingSeriesChanged: series_changed,
}
