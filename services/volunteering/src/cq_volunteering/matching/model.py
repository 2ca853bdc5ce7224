"""What matching needs to know about a need and a volunteer: plain values, no ORM."""

from dataclasses import dataclass, field
from datetime import date
from uuid import UUID

from cq_shared.contracts import Language, NeedType
from cq_shared.recurrence import Weekday


@dataclass(frozen=True)
class NeedToFill:
    """One need of a case as volunteering sees it: the task, never the diagnosis."""

    need_id: UUID
    site: str
    need_type: NeedType
    start: date | None
    client_language: Language
    client_postal_code: str
    # Volunteers already asked for this need (whatever they answered): never asked twice.
    excluded_volunteers: frozenset[UUID] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Candidate:
    """A volunteer with their current load (proposed and accepted matches)."""

    volunteer_id: UUID
    site: str
    skills: frozenset[NeedType]
    languages: tuple[Language, ...]  # in order of preference
    postal_code: str
    weekdays: frozenset[Weekday]
    max_load: int
    active_load: int
    certificate_expires_on: date

    @property
    def free_capacity(self) -> int:
        return max(0, self.max_load - self.active_load)
