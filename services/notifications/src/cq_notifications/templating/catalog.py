"""Which templates exist, in which languages, and which language a recipient actually gets.

A template is a directory `templates/<name>/` with one `<language>.txt` per translation; the
first line is the subject, the rest the plain-text body. Adding a language means adding files,
not code.
"""

from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from string import Template

from cq_shared.contracts.common import Language

# German is the platform's first language: every template exists in German.
FALLBACK_LANGUAGE = Language.DE


class TemplateName(StrEnum):
    CASE_OPENED = "case_opened"
    BOOKING_CONFIRMED = "booking_confirmed"
    BOOKING_UNAVAILABLE = "booking_unavailable"
    BOOKING_CANCELLED = "booking_cancelled"
    MATCH_PROPOSED = "match_proposed"
    VOLUNTEER_FOUND = "volunteer_found"
    COURSE_CONFIRMED = "course_confirmed"
    COURSE_WAITLISTED = "course_waitlisted"
    COURSE_OFFERED = "course_offered"
    COURSE_PROMOTED = "course_promoted"
    COURSE_CANCELLED = "course_cancelled"
    COURSE_EXPIRED = "course_expired"
    PLACE_WAITLISTED = "place_waitlisted"
    PLACE_OFFERED = "place_offered"
    PLACE_PROMOTED = "place_promoted"
    PLACE_EXPIRED = "place_expired"
    SERIES_BOOKED = "series_booked"
    SERIES_PROMOTED = "series_promoted"
    SERIES_CANCELLED = "series_cancelled"
    # Journey 4 (staff gaps): to the person offered or given a shift ...
    SHIFT_OFFERED = "shift_offered"
    SHIFT_OFFER_EXPIRED = "shift_offer_expired"
    SHIFT_FILLED = "shift_filled"
    # ... to the unit's lead ...
    SHIFT_GAP_OPENED = "shift_gap_opened"
    SHIFT_GAP_OFFERED = "shift_gap_offered"
    SHIFT_GAP_FILLED = "shift_gap_filled"
    SHIFT_GAP_UNFILLED = "shift_gap_unfilled"
    # ... and to the site's coordination mailbox (a role address: no names).
    SHIFT_GAP_ALERT = "shift_gap_alert"


@dataclass(frozen=True)
class TemplateSource:
    subject: Template
    body: Template


def _directory(template: TemplateName) -> Traversable:
    return files("cq_notifications.templating").joinpath("templates", template.value)


@cache
def languages_of(template: TemplateName) -> tuple[Language, ...]:
    """The languages `template` is translated into, German first."""
    known = {language.value: language for language in Language}
    found = {
        known[entry.name.removesuffix(".txt")]
        for entry in _directory(template).iterdir()
        if entry.name.endswith(".txt") and entry.name.removesuffix(".txt") in known
    }
    return tuple(language for language in Language if language in found)


def resolve_language(template: TemplateName, wanted: Language) -> Language:
    """The recipient's language if the template has it, else German."""
    return wanted if wanted in languages_of(template) else FALLBACK_LANGUAGE


@cache
def source(template: TemplateName, language: Language) -> TemplateSource:
    text = _directory(template).joinpath(f"{language.value}.txt").read_text(encoding="utf-8")
    subject, _, body = text.partition("\n")
    return TemplateSource(subject=Template(subject.strip()), body=Template(body.strip("\n")))
