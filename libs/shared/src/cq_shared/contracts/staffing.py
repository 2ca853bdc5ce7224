"""Events of scheduling's staffing area (topic `scheduling.staffing`): staff gaps at a site
(issue 10, journey 4). Not about a case, so not `CaseEvent`s: every one is a `StaffEvent`
about a site, keyed by the gap (a gap's events keep their order) or, for the staff member's
own record, by the staff member.

Contact points: a staff member's name, e-mail address and language travel once, in
`StaffMemberRegistered` (again when they change), as volunteers' travel in their match
events; the gap events carry staff ids only. Notifications keeps the contact points it was
told and forgets them on `StaffMemberRemoved`; the topic keeps its copies for its retention
(seven days), so erasing a staff member's contact point is that event plus a week.
"""

from datetime import datetime
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import EmailStr

from cq_shared.contracts.common import PREFIX, Language
from cq_shared.events.catalogue import catalogue
from cq_shared.events.payload import EventPayload
from cq_shared.events.topics import TopicSpec

# Notifications tells the people concerned (journey 4): its consumer `notifications.staffing`
# reads the topic, so the broker grants it (decision 0016, tests/test_acl_matrix.py).
STAFFING_TOPIC = catalogue.declare_topic(
    TopicSpec("scheduling.staffing", owner="scheduling", readers=("notifications",))
)


class StaffEvent(EventPayload):
    """Every staffing event is about one site's staff (the unserved-site rule applies)."""

    site: str


@catalogue.register
class StaffMemberRegistered(StaffEvent):
    """A staff member's record as notifications needs it: who to write to, in which
    language, and whether they lead their unit (unit leads are told of their unit's gaps).
    Key: the staff id. Published when the member is created and whenever it changes."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.staff-member.registered.v1"
    topic: ClassVar[str] = STAFFING_TOPIC

    staff_id: UUID
    given_name: str
    family_name: str
    email: EmailStr | None = None
    language: Language
    unit: str
    unit_lead: bool = False


@catalogue.register
class StaffMemberRemoved(StaffEvent):
    """Forget the staff member's contact point. Key: the staff id."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.staff-member.removed.v1"
    topic: ClassVar[str] = STAFFING_TOPIC

    staff_id: UUID


class GapEvent(StaffEvent):
    """About one gap: a shift whose person is absent. Times are instants (UTC); the site's
    zone (site catalogue) gives the wall-clock times to show."""

    gap_id: UUID
    shift_id: UUID
    unit: str
    starts_at: datetime
    ends_at: datetime
    required_qualification: str


@catalogue.register
class ShiftGapOpened(GapEvent):
    """An absence left a shift without its person. Key: the gap id."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.shift-gap.opened.v1"
    topic: ClassVar[str] = STAFFING_TOPIC

    absence_id: UUID
    absent_staff_id: UUID


@catalogue.register
class ShiftGapOffered(GapEvent):
    """The gap is offered to one staff member until `expires_at`; `reasons` say why them.
    `attempt` counts the offers of this gap (1 for the first)."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.shift-gap.offered.v1"
    topic: ClassVar[str] = STAFFING_TOPIC

    offer_id: UUID
    staff_id: UUID
    expires_at: datetime
    reasons: list[str]
    attempt: int


@catalogue.register
class ShiftOfferEnded(GapEvent):
    """An offer was declined (by the person or a coordinator for them), ran out, or was
    withdrawn by the service (`withdrawn`, added within v1: the person became absent during
    the shift, or taking it would break a rule by now); the gap moves on to the next
    candidate (a `ShiftGapOffered` or `ShiftGapUnfilled` follows)."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.shift-offer.ended.v1"
    topic: ClassVar[str] = STAFFING_TOPIC

    offer_id: UUID
    staff_id: UUID
    outcome: Literal["declined", "expired", "withdrawn"]


@catalogue.register
class ShiftGapFilled(GapEvent):
    """The staff member accepted: the shift is theirs now."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.shift-gap.filled.v1"
    topic: ClassVar[str] = STAFFING_TOPIC

    offer_id: UUID
    staff_id: UUID
    absent_staff_id: UUID


@catalogue.register
class ShiftGapUnfilled(GapEvent):
    """Nobody (else) may take the gap without breaking a rule: the site's coordinator must
    act. `reason`: `no_candidate` (nobody eligible from the start) or `candidates_exhausted`
    (every eligible person declined or let the offer run out)."""

    event_type: ClassVar[str] = f"{PREFIX}.scheduling.shift-gap.unfilled.v1"
    topic: ClassVar[str] = STAFFING_TOPIC

    reason: Literal["no_candidate", "candidates_exhausted"]
