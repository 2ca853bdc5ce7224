"""A booking's cancellation (issue 9: "every cancellation reaches everyone"): the resource and
its period on the site's wall clock.

One booking cancelled is told. A series cancelled from a date on cancels one booking per day,
and a mail per day would bury the person in mails: those are left to the series' own event."""

from cq_notifications.deliveries.message import Message
from cq_notifications.templating import TemplateName, Vocabulary
from cq_notifications.templating.dates import format_period
from cq_shared.contracts.scheduling import BookingCancelled
from cq_shared.events.payload import EventPayload
from cq_shared.sites import Site

# BookingCancelled.reason of a booking cancelled with its series.
WITH_ITS_SERIES = "series_cancelled"


def booking_cancelled(event: BookingCancelled, site: Site) -> Message:
    def values(words: Vocabulary) -> dict[str, str]:
        return {
            "resource": words.lookup("resources", event.resource_type)
            or words.text("resources", "other"),
            "period": format_period(words, event.start, event.end, site.zone),
        }

    return Message(TemplateName.BOOKING_CANCELLED, values)


def worth_telling(payload: EventPayload) -> bool:
    """Whether the case's contacts are told of this event at all."""
    return not (isinstance(payload, BookingCancelled) and payload.reason == WITH_ITS_SERIES)
