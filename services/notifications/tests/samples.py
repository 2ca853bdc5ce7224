"""Sample events of the other services, as they would publish them."""

import uuid
from datetime import UTC, datetime

import cq_testing
from cq_shared.contracts.common import Language, NeedType, RecipientRole, Urgency
from cq_shared.contracts.intake import (
    CaseErased,
    CaseOpened,
    Recipient,
    RecipientsRegistered,
)
from cq_shared.contracts.scheduling import BookingConfirmed, BookingUnavailable
from cq_shared.contracts.volunteering import MatchAccepted, MatchProposed
from cq_testing import need

SITE = "kaiserslautern"


def tag() -> str:
    """A per-test word for e-mail addresses: the SMTP sink is shared by the whole session."""
    return uuid.uuid4().hex[:10]


def recipient(
    role: RecipientRole, given: str, family: str, language: Language, email: str | None
) -> Recipient:
    return Recipient(
        recipient_id=uuid.uuid4(),
        role=role,
        given_name=given,
        family_name=family,
        email=email,
        language=language,
    )


def registered(case_id: uuid.UUID, *recipients: Recipient) -> RecipientsRegistered:
    return RecipientsRegistered(case_id=case_id, site=SITE, recipients=list(recipients))


def case_opened(case_id: uuid.UUID, urgency: Urgency = Urgency.EMERGENCY) -> CaseOpened:
    start = datetime(2025, 3, 4, tzinfo=UTC).date()
    return cq_testing.case_opened(
        SITE, need(NeedType.SHORT_TERM_CARE, start, 14), case_id=case_id, urgency=urgency
    )


def booking_confirmed(
    case_id: uuid.UUID, *, staff_name: str | None = "Frau Kaya"
) -> BookingConfirmed:
    return BookingConfirmed(
        booking_id=uuid.uuid4(),
        case_id=case_id,
        need_id=uuid.uuid4(),
        site=SITE,
        resource_type="guest_apartment",
        resource_name="Gästewohnung Lauterstraße",
        start=datetime(2025, 3, 4, 9, 0, tzinfo=UTC),
        end=datetime(2025, 3, 18, 9, 0, tzinfo=UTC),
        staff_name=staff_name,
    )


def counselling_confirmed(case_id: uuid.UUID) -> BookingConfirmed:
    return BookingConfirmed(
        booking_id=uuid.uuid4(),
        case_id=case_id,
        need_id=uuid.uuid4(),
        site=SITE,
        resource_type="counselling_room",
        resource_name="Beratungsraum 1",
        start=datetime(2025, 3, 3, 13, 0, tzinfo=UTC),
        end=datetime(2025, 3, 3, 14, 0, tzinfo=UTC),
    )


def booking_unavailable(case_id: uuid.UUID) -> BookingUnavailable:
    return BookingUnavailable(
        case_id=case_id,
        need_id=uuid.uuid4(),
        site=SITE,
        resource_type="guest_apartment",
        requested_start=datetime(2025, 3, 4, 9, 0, tzinfo=UTC),
        requested_end=datetime(2025, 3, 18, 9, 0, tzinfo=UTC),
        reason="no_capacity",
    )


def match_proposed(
    case_id: uuid.UUID, email: str, language: Language = Language.EN
) -> MatchProposed:
    return MatchProposed(
        match_id=uuid.uuid4(),
        case_id=case_id,
        need_id=uuid.uuid4(),
        site=SITE,
        need_type=NeedType.VOLUNTEER_VISIT,
        volunteer_id=uuid.uuid4(),
        volunteer_given_name="Jonas",
        volunteer_email=email,
        volunteer_language=language,
        score=0.87,
    )


def match_accepted(
    case_id: uuid.UUID, need_type: NeedType = NeedType.ACCOMPANIMENT
) -> MatchAccepted:
    return MatchAccepted(
        match_id=uuid.uuid4(),
        case_id=case_id,
        need_id=uuid.uuid4(),
        site=SITE,
        need_type=need_type,
        volunteer_id=uuid.uuid4(),
        volunteer_given_name="Ayla",
    )


def case_erased(case_id: uuid.UUID) -> CaseErased:
    return CaseErased(case_id=case_id, site=SITE)
