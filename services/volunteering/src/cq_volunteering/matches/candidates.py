"""Translating rows into the pure matching model (and nothing else)."""

import uuid

from cq_shared.contracts import Language, NeedType
from cq_shared.recurrence import Weekday
from cq_volunteering.matches.models import VolunteerNeed
from cq_volunteering.matching.model import Candidate, NeedToFill
from cq_volunteering.volunteers.models import Volunteer


def need_to_fill(need: VolunteerNeed, asked: frozenset[uuid.UUID]) -> NeedToFill:
    return NeedToFill(
        need_id=need.need_id,
        site=need.site,
        need_type=NeedType(need.need_type),
        start=need.start,
        client_language=Language(need.client_language),
        client_postal_code=need.client_postal_code,
        excluded_volunteers=asked,
    )


def candidate(volunteer: Volunteer, active_load: int) -> Candidate:
    return Candidate(
        volunteer_id=volunteer.id,
        site=volunteer.site,
        skills=frozenset(NeedType(skill) for skill in volunteer.skills),
        languages=tuple(Language(language) for language in volunteer.languages),
        postal_code=volunteer.postal_code,
        weekdays=frozenset(Weekday(day) for day in volunteer.weekdays),
        max_load=volunteer.max_load,
        active_load=active_load,
        certificate_expires_on=volunteer.certificate_of_conduct_expires_on,
    )
