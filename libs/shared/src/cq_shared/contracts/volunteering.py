"""Events of the volunteering service (topic `volunteering.matches`, key = case id)."""

from typing import ClassVar
from uuid import UUID

from pydantic import EmailStr

from cq_shared.contracts.common import PREFIX, CaseEvent, ErasureCompleted, Language, NeedType
from cq_shared.events.catalogue import catalogue
from cq_shared.events.topics import TopicSpec

MATCHES_TOPIC = catalogue.declare_topic(
    TopicSpec("volunteering.matches", owner="volunteering", readers=("intake", "notifications"))
)


@catalogue.register
class MatchProposed(CaseEvent):
    """A volunteer is asked to take on a task; carries the volunteer's contact point so
    notifications can write to them (the volunteer's own data, owned by volunteering)."""

    event_type: ClassVar[str] = f"{PREFIX}.volunteering.match.proposed.v1"
    topic: ClassVar[str] = MATCHES_TOPIC

    match_id: UUID
    need_id: UUID
    need_type: NeedType
    volunteer_id: UUID
    volunteer_given_name: str
    volunteer_email: EmailStr | None = None
    volunteer_language: Language
    score: float


@catalogue.register
class MatchAccepted(CaseEvent):
    event_type: ClassVar[str] = f"{PREFIX}.volunteering.match.accepted.v1"
    topic: ClassVar[str] = MATCHES_TOPIC

    match_id: UUID
    need_id: UUID
    need_type: NeedType
    volunteer_id: UUID
    volunteer_given_name: str


@catalogue.register
class MatchDeclined(CaseEvent):
    event_type: ClassVar[str] = f"{PREFIX}.volunteering.match.declined.v1"
    topic: ClassVar[str] = MATCHES_TOPIC

    match_id: UUID
    need_id: UUID
    volunteer_id: UUID


@catalogue.register
class MatchUnfilled(CaseEvent):
    """No (further) eligible volunteer: a coordinator has to step in."""

    event_type: ClassVar[str] = f"{PREFIX}.volunteering.match.unfilled.v1"
    topic: ClassVar[str] = MATCHES_TOPIC

    need_id: UUID
    need_type: NeedType
    reason: str


@catalogue.register
class VolunteeringErasureCompleted(ErasureCompleted):
    event_type: ClassVar[str] = f"{PREFIX}.volunteering.erasure.completed.v1"
    topic: ClassVar[str] = MATCHES_TOPIC
