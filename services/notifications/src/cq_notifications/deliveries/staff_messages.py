"""What a shift gap's events say (issue 10, journey 4): to the person offered the shift, to
the unit's lead and, when nobody may take it, to the site's coordination.

Only the unit, the shift's times on the site's wall clock and the qualification reach a
message, never why someone is absent (the events do not carry it either). A colleague's name
is told to the unit lead, who plans with it, and never to other staff."""

from cq_notifications.deliveries.message import Message
from cq_notifications.templating import TemplateName, Vocabulary
from cq_notifications.templating.dates import format_date, format_moment, format_period
from cq_shared.contracts.staffing import (
    GapEvent,
    ShiftGapFilled,
    ShiftGapOffered,
    ShiftGapOpened,
    ShiftGapUnfilled,
    ShiftOfferEnded,
)
from cq_shared.sites import Site


def _shift(event: GapEvent, site: Site, words: Vocabulary) -> dict[str, str]:
    return {
        "unit": words.lookup("units", event.unit) or event.unit,
        "day": format_date(words, event.starts_at, site.zone),
        "period": format_period(words, event.starts_at, event.ends_at, site.zone),
        # A German domain term (Pflegefachkraft, ...): the site's own word in every language.
        "qualification": event.required_qualification,
    }


def _colleague(name: str | None, words: Vocabulary) -> str:
    """The colleague's name, or a neutral word when their contact point is not known here."""
    return name or words.text("shift", "colleague")


def shift_offered(event: ShiftGapOffered, site: Site) -> Message:
    """To the person offered the shift: what, when, until when and how to answer."""

    def values(words: Vocabulary) -> dict[str, str]:
        return {
            **_shift(event, site, words),
            "deadline": format_moment(words, event.expires_at, site.zone),
            "offer_id": str(event.offer_id),
        }

    return Message(TemplateName.SHIFT_OFFERED, values)


def shift_offer_expired(event: ShiftOfferEnded, site: Site) -> Message:
    """To the person whose offer ran out: it went on to someone else."""
    return Message(TemplateName.SHIFT_OFFER_EXPIRED, lambda words: _shift(event, site, words))


def shift_filled(event: ShiftGapFilled, site: Site) -> Message:
    """To the person who took the shift (they or a coordinator for them accepted)."""
    return Message(TemplateName.SHIFT_FILLED, lambda words: _shift(event, site, words))


def gap_opened(event: ShiftGapOpened, site: Site, absent: str | None) -> Message:
    """To the unit lead: a shift of the unit lost its person."""

    def values(words: Vocabulary) -> dict[str, str]:
        return {**_shift(event, site, words), "absent_name": _colleague(absent, words)}

    return Message(TemplateName.SHIFT_GAP_OPENED, values)


def gap_offered(event: ShiftGapOffered, site: Site, offered: str | None) -> Message:
    """To the unit lead: whom the gap is offered to, until when."""

    def values(words: Vocabulary) -> dict[str, str]:
        return {
            **_shift(event, site, words),
            "staff_name": _colleague(offered, words),
            "deadline": format_moment(words, event.expires_at, site.zone),
            "attempt": str(event.attempt),
        }

    return Message(TemplateName.SHIFT_GAP_OFFERED, values)


def gap_filled(event: ShiftGapFilled, site: Site, taker: str | None, absent: str | None) -> Message:
    """To the unit lead: who covers the shift, for whom."""

    def values(words: Vocabulary) -> dict[str, str]:
        return {
            **_shift(event, site, words),
            "staff_name": _colleague(taker, words),
            "absent_name": _colleague(absent, words),
        }

    return Message(TemplateName.SHIFT_GAP_FILLED, values)


def gap_unfilled(event: ShiftGapUnfilled, site: Site) -> Message:
    """To the unit lead: nobody may take the shift; the coordination is told too."""

    def values(words: Vocabulary) -> dict[str, str]:
        return {**_shift(event, site, words), "reason": words.text("shift", event.reason)}

    return Message(TemplateName.SHIFT_GAP_UNFILLED, values)


def gap_alert(event: ShiftGapUnfilled, site: Site) -> Message:
    """To the site's coordination mailbox: a gap only a person can close now."""

    def values(words: Vocabulary) -> dict[str, str]:
        return {
            **_shift(event, site, words),
            "reason": words.text("shift", event.reason),
            "gap_id": str(event.gap_id),
            "site_name": site.name,
        }

    return Message(TemplateName.SHIFT_GAP_ALERT, values)
