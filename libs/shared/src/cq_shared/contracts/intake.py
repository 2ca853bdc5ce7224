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
)
from cq_shared.events.catalogue import catalogue
from cq_shared.events.topics import TopicSpec

CASES_TOPIC = catalogue.declare_topic(TopicSpec("intake.cases", owner="intake"))


class NeedRequested(BaseModel):
    """One need of a case, as other services need it: no free-text note (it may name a
    diagnosis; it stays in intake)."""

    need_id: UUID
    type: NeedType
    start: date | None = None
    days: int | None = None


@catalogue.register
class CaseOpened(CaseEvent):
    """A person asked for help; scheduling and volunteering act on the needs."""

    event_type: ClassVar[str] = f"{PREFIX}.intake.case.opened.v1"
    topic: ClassVar[str] = CASES_TOPIC

    urgency: Urgency
    channel: str
    language: Language
    postal_code: str
    care_level: CareLevel
    needs: list[NeedRequested]
    share_with_volunteers: bool


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
    notified. Only notifications consumes this (it keeps nothing else about the person)."""

    event_type: ClassVar[str] = f"{PREFIX}.intake.recipients.registered.v1"
    topic: ClassVar[str] = CASES_TOPIC

    recipients: list[Recipient]


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
