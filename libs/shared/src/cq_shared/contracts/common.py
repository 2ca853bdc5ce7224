"""Vocabulary shared by several event types."""

from datetime import datetime
from enum import StrEnum
from uuid import UUID

from cq_shared.events.payload import EventPayload
from cq_shared.recurrence import Weekday

__all__ = ["Weekday"]  # a recurring need's days (NeedRequested.weekdays)

PREFIX = "de.drk.carequartier"


class Language(StrEnum):
    """Languages a person can be written to in (ISO 639-1). German first."""

    DE = "de"
    EN = "en"
    TR = "tr"
    AR = "ar"
    RU = "ru"
    UK = "uk"
    PL = "pl"


class CareLevel(StrEnum):
    """Pflegegrad 1-5, "beantragt" (applied for), or none."""

    PG1 = "1"
    PG2 = "2"
    PG3 = "3"
    PG4 = "4"
    PG5 = "5"
    APPLIED = "applied"
    NONE = "none"


class NeedType(StrEnum):
    """The default needs taxonomy; a site may offer a subset (site configuration)."""

    COUNSELLING = "counselling"
    HOME_VISIT = "home_visit"
    SHORT_TERM_CARE = "short_term_care"
    DAY_CARE = "day_care"
    PREVENTION_COURSE = "prevention_course"
    VOLUNTEER_VISIT = "volunteer_visit"
    ACCOMPANIMENT = "accompaniment"
    DOCTOR_REFERRAL = "doctor_referral"
    MEDICATION_PLAN = "medication_plan"
    TRANSITION = "transition"
    COACHING = "coaching"


class Urgency(StrEnum):
    ROUTINE = "routine"
    URGENT = "urgent"
    EMERGENCY = "emergency"


class RecipientRole(StrEnum):
    CLIENT = "client"
    RELATIVE = "relative"
    LEGAL_REPRESENTATIVE = "legal_representative"
    VOLUNTEER = "volunteer"
    COORDINATOR = "coordinator"
    # A staff member told of their shifts (journey 4); never one of a case's recipients.
    STAFF = "staff"


class CaseEvent(EventPayload):
    """Every event of the platform is about one case of one site: its key is the case id, and
    its `site` decides which services act on it (the unserved-site rule)."""

    case_id: UUID
    site: str


class ConsentPurpose(StrEnum):
    """The purposes a client consents to one by one (GDPR Art. 9 (2) a)."""

    DATA_PROCESSING = "data_processing"
    NOTIFY_CONTACTS = "notify_contacts"
    SHARE_WITH_VOLUNTEERS = "share_with_volunteers"


class ErasureCompleted(CaseEvent):
    """A service's receipt for an erasure (`intake.case.erased.v1`): it erased or anonymised
    all it held about the case's person. Intake gathers them; each service publishes its own
    type on its own topic (see each service's contracts)."""

    erased_at: datetime
