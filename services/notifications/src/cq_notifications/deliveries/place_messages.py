"""What a waiting place's events tell the person (issue 9: a day-care day or the guest
apartment, decision 0018): the place and the period asked for on the site's wall clock, and
by event the place on the waiting list, the offer's deadline, the place now booked, or that
an offer ran out.

A wait cancelled by staff or with its series, or an offer the person declined, is not told:
staff or the person just did it (a series' mail says what became of its days)."""

from collections.abc import Callable
from typing import Any

from cq_notifications.deliveries.message import Message
from cq_notifications.templating import TemplateName, Vocabulary
from cq_notifications.templating.dates import format_moment, format_period
from cq_shared.contracts.scheduling import (
    PlaceOffered,
    PlacePromoted,
    PlaceWaitEnded,
    PlaceWaitlisted,
    PlaceWaitlistEvent,
)
from cq_shared.events.payload import EventPayload
from cq_shared.sites import Site

EXPIRED = "expired"  # PlaceWaitEnded.status of an offer not taken in time


def _common(event: PlaceWaitlistEvent, site: Site, words: Vocabulary) -> dict[str, str]:
    return {
        "resource": words.lookup("resources", event.resource_type)
        or words.text("resources", "other"),
        "period": format_period(words, event.start, event.end, site.zone),
    }


def place_waitlisted(event: PlaceWaitlisted, site: Site) -> Message:
    def values(words: Vocabulary) -> dict[str, str]:
        return {**_common(event, site, words), "position": str(event.position)}

    return Message(TemplateName.PLACE_WAITLISTED, values)


def place_offered(event: PlaceOffered, site: Site) -> Message:
    def values(words: Vocabulary) -> dict[str, str]:
        deadline = format_moment(words, event.expires_at, site.zone)
        return {**_common(event, site, words), "deadline": deadline}

    return Message(TemplateName.PLACE_OFFERED, values)


def place_promoted(event: PlacePromoted, site: Site) -> Message:
    return Message(TemplateName.PLACE_PROMOTED, lambda words: _common(event, site, words))


def place_expired(event: PlaceWaitEnded, site: Site) -> Message:
    return Message(TemplateName.PLACE_EXPIRED, lambda words: _common(event, site, words))


def worth_telling(payload: EventPayload) -> bool:
    """Of the ended waits only an offer that ran out: the others were somebody's decision."""
    return not (isinstance(payload, PlaceWaitEnded) and payload.status != EXPIRED)


FOR_PLACE_CONTACTS: dict[type[EventPayload], Callable[[Any, Site], Message]] = {
    PlaceWaitlisted: place_waitlisted,
    PlaceOffered: place_offered,
    PlacePromoted: place_promoted,
    PlaceWaitEnded: place_expired,
}
