"""What a recurring need's series tells the person (issue 9, journey 5): how many of its
days are booked, the next one, the days still waiting for a place, and on a cancellation
from which day on. One template per change worth a mail; which change that is, is decided
by series_news.py (and written into the event's `change` before it is told or parked)."""

from cq_notifications.deliveries.message import Message
from cq_notifications.deliveries.series_news import BOOKED, CANCELLED, PROMOTED
from cq_notifications.templating import TemplateName, Vocabulary
from cq_notifications.templating.dates import format_day
from cq_shared.contracts.scheduling import BookingSeriesChanged
from cq_shared.sites import Site

_TEMPLATES = {
    BOOKED: TemplateName.SERIES_BOOKED,
    PROMOTED: TemplateName.SERIES_PROMOTED,
    CANCELLED: TemplateName.SERIES_CANCELLED,
}
CANCELLED_DAY = "cancelled"  # SeriesOccurrence.status


def series_changed(event: BookingSeriesChanged, site: Site) -> Message:
    def values(words: Vocabulary) -> dict[str, str]:
        return {
            "resource": words.lookup("resources", event.resource_type)
            or words.text("resources", "other"),
            "booked": str(event.booked),
            "total": str(event.total),
            "next_line": _next_line(event, words),
            "waitlisted_line": _waitlisted_line(event, words),
            "cancelled_line": _cancelled_line(event, words),
        }

    return Message(_TEMPLATES.get(event.change, TemplateName.SERIES_BOOKED), values)


def _next_line(event: BookingSeriesChanged, words: Vocabulary) -> str:
    if event.next_date is None:
        return ""
    key = "first_day" if event.change == BOOKED else "next_day"
    return words.phrase("series", key, day=format_day(words, event.next_date))


def _waitlisted_line(event: BookingSeriesChanged, words: Vocabulary) -> str:
    if not event.waitlisted_dates:
        return ""
    # The vocabulary's entries are stripped: the space after the separator is added here.
    between = words.text("series", "separator") + " "
    days = between.join(format_day(words, day) for day in event.waitlisted_dates)
    return words.phrase("series", "waitlisted", days=days)


def _cancelled_line(event: BookingSeriesChanged, words: Vocabulary) -> str:
    """From which day on the series is cancelled: its first cancelled day."""
    cancelled = [o.date for o in event.occurrences if o.status == CANCELLED_DAY]
    if event.total == 0:
        return words.text("series", "cancelled_whole")
    if not cancelled:
        return ""
    return words.phrase("series", "cancelled_from", day=format_day(words, min(cancelled)))
