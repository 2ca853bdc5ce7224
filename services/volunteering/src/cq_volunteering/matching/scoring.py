"""Ranking volunteers for one need: hard filters, then a score in [0, 1] with its reasons.

Pure: the caller passes "today" (the site's local date) and the volunteers' current loads.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from cq_shared.recurrence import Weekday
from cq_volunteering.matching import criteria
from cq_volunteering.matching.model import Candidate, NeedToFill

LANGUAGE_NAMES = {
    "de": "German",
    "en": "English",
    "tr": "Turkish",
    "ar": "Arabic",
    "ru": "Russian",
    "uk": "Ukrainian",
    "pl": "Polish",
}
WEEKDAY_NAMES = {
    Weekday.MON: "Mondays",
    Weekday.TUE: "Tuesdays",
    Weekday.WED: "Wednesdays",
    Weekday.THU: "Thursdays",
    Weekday.FRI: "Fridays",
    Weekday.SAT: "Saturdays",
    Weekday.SUN: "Sundays",
}


@dataclass(frozen=True)
class Reason:
    """One criterion's contribution, worded for a coordinator."""

    criterion: str
    weight: float
    points: float
    explanation: str

    def as_json(self) -> dict[str, Any]:
        return {
            "criterion": self.criterion,
            "weight": self.weight,
            "points": self.points,
            "explanation": self.explanation,
        }


@dataclass(frozen=True)
class ScoredCandidate:
    candidate: Candidate
    points: int  # basis points, for exact comparisons
    reasons: tuple[Reason, ...]

    @property
    def score(self) -> float:
        return criteria.as_fraction(self.points)


def reference_date(need: NeedToFill, today: date) -> date:
    """The day the certificate must still be valid on: the start, but never a day in the
    past (a need that "started" last week is served from today on)."""
    return max(need.start or today, today)


def is_eligible(need: NeedToFill, candidate: Candidate, today: date) -> bool:
    """The hard filters: nobody failing one of them is ever proposed, whatever their score."""
    return (
        candidate.site == need.site
        and need.need_type in candidate.skills
        and candidate.certificate_expires_on >= reference_date(need, today)
        and candidate.active_load < candidate.max_load
        and candidate.volunteer_id not in need.excluded_volunteers
    )


def rank(need: NeedToFill, candidates: Iterable[Candidate], today: date) -> list[ScoredCandidate]:
    """Eligible candidates, best first; equal scores in volunteer id order (deterministic)."""
    scored = [score(need, c, today) for c in candidates if is_eligible(need, c, today)]
    return sorted(scored, key=lambda s: (-s.points, s.candidate.volunteer_id))


def score(need: NeedToFill, candidate: Candidate, today: date) -> ScoredCandidate:
    """The score of an eligible candidate (call `is_eligible` first)."""
    parts = (
        _language(need, candidate),
        _proximity(need, candidate),
        _availability(need, candidate),
        _load(candidate),
        _certificate(need, candidate, today),
    )
    reasons = tuple(
        Reason(name, criteria.as_fraction(weight), criteria.as_fraction(points), text)
        for name, weight, points, text in parts
    )
    return ScoredCandidate(candidate, sum(points for _, _, points, _ in parts), reasons)


_Part = tuple[str, int, int, str]


def _language(need: NeedToFill, candidate: Candidate) -> _Part:
    wanted = LANGUAGE_NAMES[need.client_language]
    if need.client_language in candidate.languages:
        return (
            "language",
            criteria.LANGUAGE,
            criteria.LANGUAGE,
            f"Speaks {wanted}, the client's language.",
        )
    spoken = ", ".join(LANGUAGE_NAMES[language] for language in candidate.languages)
    text = f"Does not speak {wanted}, the client's language (speaks {spoken})."
    return "language", criteria.LANGUAGE, 0, text


def proximity_points(client_postal_code: str, volunteer_postal_code: str) -> int:
    """The client's five digits, or (from v2 events) only the area's three: an area is never
    the volunteer's exact code, but can be their area or region."""
    client_known = _is_postal_code(client_postal_code) or _is_postal_area(client_postal_code)
    if not (client_known and _is_postal_code(volunteer_postal_code)):
        return 0
    if client_postal_code == volunteer_postal_code:
        return criteria.PROXIMITY_SAME_CODE
    if client_postal_code[:3] == volunteer_postal_code[:3]:
        return criteria.PROXIMITY_SAME_AREA
    if client_postal_code[:2] == volunteer_postal_code[:2]:
        return criteria.PROXIMITY_SAME_REGION
    return 0


def _proximity(need: NeedToFill, candidate: Candidate) -> _Part:
    theirs, client = candidate.postal_code, need.client_postal_code
    points = proximity_points(client, theirs)
    if points == criteria.PROXIMITY_SAME_CODE:
        text = f"Lives in the client's postal code area {theirs}."
    elif points == criteria.PROXIMITY_SAME_AREA:
        text = f"Postal code {theirs} shares the first three digits with the client's ({client})."
    elif points == criteria.PROXIMITY_SAME_REGION:
        text = f"Postal code {theirs} is in the client's region ({client[:2]}xxx)."
    else:
        text = f"Postal code {theirs} is far from the client's ({client})."
    return "proximity", criteria.PROXIMITY, points, text


def _availability(need: NeedToFill, candidate: Candidate) -> _Part:
    if need.start is None:
        # No start day to check: more weekdays mean an earlier first visit is likelier.
        days = len(candidate.weekdays)
        points = criteria.share(criteria.AVAILABILITY, days, criteria.DAYS_PER_WEEK)
        text = f"No start date; available on {days} of 7 weekdays."
        return "availability", criteria.AVAILABILITY, points, text
    day = Weekday.of(need.start)
    when = f"{WEEKDAY_NAMES[day]}, the start day ({need.start.isoformat()})"
    if day in candidate.weekdays:
        return "availability", criteria.AVAILABILITY, criteria.AVAILABILITY, f"Available on {when}."
    return "availability", criteria.AVAILABILITY, 0, f"Not available on {when}."


def _load(candidate: Candidate) -> _Part:
    free = candidate.max_load - candidate.active_load
    points = criteria.share(criteria.LOAD, free, candidate.max_load)
    text = f"{candidate.active_load} of at most {candidate.max_load} tasks active."
    return "load", criteria.LOAD, points, text


def _certificate(need: NeedToFill, candidate: Candidate, today: date) -> _Part:
    margin = (candidate.certificate_expires_on - reference_date(need, today)).days
    capped = min(margin, criteria.CERTIFICATE_FULL_MARGIN_DAYS)
    points = criteria.share(criteria.CERTIFICATE, capped, criteria.CERTIFICATE_FULL_MARGIN_DAYS)
    until = candidate.certificate_expires_on.isoformat()
    since = reference_date(need, today).isoformat()
    text = (
        "Certificate of conduct (erweitertes Führungszeugnis) valid until "
        f"{until}, {margin} days beyond {since}."
    )
    return "certificate", criteria.CERTIFICATE, points, text


def _is_postal_code(value: str) -> bool:
    return len(value) == 5 and value.isascii() and value.isdigit()


def _is_postal_area(value: str) -> bool:
    return len(value) == 3 and value.isascii() and value.isdigit()
