"""Events of the intake service (topic `intake.cases`, key = case id)."""

from datetime import date
from typing import ClassVar
from uuid import UUID

from pydantic import BaseModel, EmailStr

from cq_shared.contracts.common import (
    PREFIX,
    CareLevel,
    CaseEvent,
    ConsentPurpose,
    ErasureCompleted,
    Language,
    NeedType,
    RecipientRole,
    Urgency,
    Weekday,
)
from cq_shared.events.catalogue import catalogue
from cq_shared.events.topics import TopicSpec

CASES_TOPIC = catalogue.declare_topic(
    TopicSpec(
        "intake.cases", owner="intake", readers=("scheduling", "volunteering", "notifications")
    )
)
# Each case's key for its sealed personal data (crypto-shredding, decision 0012), keyed by
# case id. Compacted: only a case's latest record stays, and erasure's `CaseKeyDestroyed`
# replaces the key. Segments roll hourly and are cleaned eagerly, so a destroyed key leaves
# the log within about an hour; the destroy marker itself (no key in it) is kept as long as
# `intake.cases` keeps events, so a consumer that was down still learns the key is gone.
KEYS_TOPIC = catalogue.declare_topic(
    TopicSpec(
        "intake.case-keys",
        owner="intake",
        readers=("notifications",),
        retention=None,
        cleanup_policy="compact",
        settings=(
            ("segment.ms", str(3_600_000)),
            ("min.cleanable.dirty.ratio", "0.01"),
            ("min.compaction.lag.ms", "0"),
            ("delete.retention.ms", str(7 * 24 * 3_600_000)),
        ),
    )
)


class NeedRequested(BaseModel):
    """One need of a case, as other services need it: no free-text note (it may name a
    diagnosis; it stays in intake)."""

    need_id: UUID
    type: NeedType
    start: date | None = None
    days: int | None = None
    # prevention_course: the course (scheduling's id) the person asks a place in.
    course_id: UUID | None = None
    # A recurring need (a day guest every Tuesday and Thursday): from `start` on `weekdays`
    # up to `until` (inclusive), or by an RFC 5545 rule without DTSTART (cq_shared.recurrence).
    until: date | None = None
    weekdays: list[Weekday] | None = None
    rrule: str | None = None


@catalogue.register
class CaseOpened(CaseEvent):
    """A person asked for help; scheduling and volunteering act on the needs. Superseded by
    `CaseOpenedV2` (no postal code); still read, for events written before."""

    event_type: ClassVar[str] = f"{PREFIX}.intake.case.opened.v1"
    topic: ClassVar[str] = CASES_TOPIC

    urgency: Urgency
    channel: str
    language: Language
    postal_code: str
    care_level: CareLevel
    needs: list[NeedRequested]
    share_with_volunteers: bool


@catalogue.register
class CaseOpenedV2(CaseEvent):
    """A person asked for help; scheduling and volunteering act on the needs. Without the
    client's postal code (v1 had it): only its first three digits, the area a volunteer needs
    for "nearby", travel (decision 0012)."""

    event_type: ClassVar[str] = f"{PREFIX}.intake.case.opened.v2"
    topic: ClassVar[str] = CASES_TOPIC

    urgency: Urgency
    channel: str
    language: Language
    postal_area: str  # "676" of 67655
    care_level: CareLevel
    needs: list[NeedRequested]
    share_with_volunteers: bool


# Either version of "a case was opened", as consumers read both (v1 for events written before).
AnyCaseOpened = CaseOpened | CaseOpenedV2


def postal_area_or_code(case: AnyCaseOpened) -> str:
    """What a consumer may know of the client's location: v1's full code, v2's area."""
    return case.postal_code if isinstance(case, CaseOpened) else case.postal_area


class Recipient(BaseModel):
    """A person notifications may write to about this case, with consent already checked."""

    recipient_id: UUID
    role: RecipientRole
    given_name: str
    family_name: str
    email: EmailStr | None = None
    phone: str | None = None
    language: Language


@catalogue.register
class RecipientsRegistered(CaseEvent):
    """Contact points for a case's notifications: the client and the relatives who may be
    notified. Only notifications consumes this (it keeps nothing else about the person).
    Superseded by `RecipientsRegisteredV2` (sealed); still read, for events written before."""

    event_type: ClassVar[str] = f"{PREFIX}.intake.recipients.registered.v1"
    topic: ClassVar[str] = CASES_TOPIC

    recipients: list[Recipient]


@catalogue.register
class RecipientsRegisteredV2(CaseEvent):
    """Contact points for a case's notifications, sealed with the case's key
    (`CaseKeyIssued`): `sealed_recipients` opens (cq_shared.crypto) to the JSON list of
    `Recipient`s. Erasure destroys the key, and with it every copy of this event."""

    event_type: ClassVar[str] = f"{PREFIX}.intake.recipients.registered.v2"
    topic: ClassVar[str] = CASES_TOPIC

    sealed_recipients: str


@catalogue.register
class CaseKeyIssued(CaseEvent):
    """The key that opens the case's sealed personal data (base64), on `intake.case-keys`.
    Only notifications reads it (broker ACLs, issue 12)."""

    event_type: ClassVar[str] = f"{PREFIX}.intake.case-key.issued.v1"
    topic: ClassVar[str] = KEYS_TOPIC

    key: str


@catalogue.register
class CaseKeyDestroyed(CaseEvent):
    """The case was erased: its key is gone, here and (after compaction) from the log."""

    event_type: ClassVar[str] = f"{PREFIX}.intake.case-key.destroyed.v1"
    topic: ClassVar[str] = KEYS_TOPIC


@catalogue.register
class CaseErased(CaseEvent):
    """The client withdrew consent: every service erases or anonymises the case's personal data
    and answers with its receipt (an `ErasureCompleted` type of its own)."""

    event_type: ClassVar[str] = f"{PREFIX}.intake.case.erased.v1"
    topic: ClassVar[str] = CASES_TOPIC


@catalogue.register
class ConsentChanged(CaseEvent):
    """The client gave or withdrew consent to one purpose. Withdrawing stops its future
    effects at once: `notify_contacts` no more mails to relatives, `share_with_volunteers` no
    more volunteer proposals. Withdrawing `data_processing` is an erasure (`CaseErased`)."""

    event_type: ClassVar[str] = f"{PREFIX}.intake.consent.changed.v1"
    topic: ClassVar[str] = CASES_TOPIC

    purpose: ConsentPurpose
    granted: bool


@catalogue.register
class IntakeErasureCompleted(ErasureCompleted):
    event_type: ClassVar[str] = f"{PREFIX}.intake.erasure.completed.v1"
    topic: ClassVar[str] = CASES_TOPIC
