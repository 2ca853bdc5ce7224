"""Sample events of the other services, as they would publish them."""

import base64
import uuid
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from pydantic import TypeAdapter

import cq_testing
from cq_shared.contracts.common import CareLevel, Language, NeedType, RecipientRole, Urgency
from cq_shared.contracts.intake import (
    CaseErased,
    CaseKeyDestroyed,
    CaseKeyIssued,
    CaseOpened,
    CaseOpenedV2,
    Recipient,
    RecipientsRegistered,
    RecipientsRegisteredV2,
)
from cq_shared.contracts.scheduling import (
    BookingCancelled,
    BookingConfirmed,
    BookingSeriesChanged,
    BookingUnavailable,
    CourseRegistrationEvent,
    CourseRegistrationOffered,
    CourseRegistrationWaitlisted,
    PlaceWaitlistEvent,
    SeriesOccurrence,
)
from cq_shared.contracts.volunteering import MatchAccepted, MatchProposed
from cq_shared.crypto import seal
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


def case_opened_v2(case_id: uuid.UUID, urgency: Urgency = Urgency.EMERGENCY) -> CaseOpenedV2:
    return CaseOpenedV2(
        case_id=case_id,
        site=SITE,
        urgency=urgency,
        channel="phone",
        language=Language.DE,
        postal_area="676",
        care_level=CareLevel.PG3,
        needs=[need(NeedType.SHORT_TERM_CARE, date(2025, 3, 4), 14)],
        share_with_volunteers=True,
    )


def key_issued(case_id: uuid.UUID, key: bytes) -> CaseKeyIssued:
    return CaseKeyIssued(case_id=case_id, site=SITE, key=base64.b64encode(key).decode())


def key_destroyed(case_id: uuid.UUID) -> CaseKeyDestroyed:
    return CaseKeyDestroyed(case_id=case_id, site=SITE)


def sealed_registered(
    case_id: uuid.UUID, key: bytes, *recipients: Recipient, sealed_for: uuid.UUID | None = None
) -> RecipientsRegisteredV2:
    """As intake seals it: the recipients' JSON list with the case's key (`sealed_for`: as
    if sealed for another case, which must not open here)."""
    listed = TypeAdapter(list[Recipient]).dump_json(list(recipients))
    sealed = seal(key, sealed_for or case_id, listed)
    return RecipientsRegisteredV2(case_id=case_id, site=SITE, sealed_recipients=sealed)


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


# Münster's course: Tuesday 3 March 2026, 09:00 UTC is 10:00 in Berlin (CET).
FIRST_SESSION = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)


E = TypeVar("E", bound=CourseRegistrationEvent)
PlaceEventT = TypeVar("PlaceEventT", bound=PlaceWaitlistEvent)


def course_registration(model: type[E], case_id: uuid.UUID, **extra: Any) -> E:
    """A course registration event of `model` (confirmed, promoted, waitlisted...)."""
    return model(
        case_id=case_id,
        site=SITE,
        registration_id=uuid.uuid4(),
        course_id=uuid.uuid4(),
        need_id=uuid.uuid4(),
        title="Sturzprävention",
        language=Language.DE,
        first_session=FIRST_SESSION,
        **extra,
    )


def course_waitlisted(case_id: uuid.UUID, position: int = 1) -> CourseRegistrationWaitlisted:
    return course_registration(CourseRegistrationWaitlisted, case_id, position=position)


def course_offered(case_id: uuid.UUID) -> CourseRegistrationOffered:
    # Monday 2 March 2026, 17:00 UTC is 18:00 in Berlin.
    expires = datetime(2026, 3, 2, 17, 0, tzinfo=UTC)
    return course_registration(CourseRegistrationOffered, case_id, expires_at=expires)


def booking_cancelled(case_id: uuid.UUID, reason: str = "cancelled") -> BookingCancelled:
    return BookingCancelled(
        case_id=case_id,
        site=SITE,
        booking_id=uuid.uuid4(),
        need_id=uuid.uuid4(),
        resource_type="counselling_room",
        start=datetime(2025, 3, 3, 13, 0, tzinfo=UTC),
        end=datetime(2025, 3, 3, 14, 0, tzinfo=UTC),
        reason=reason,
        cancelled_by="coordinator",
    )


DAY_CARE_DAY = (datetime(2025, 3, 4, 7, 0, tzinfo=UTC), datetime(2025, 3, 4, 16, 0, tzinfo=UTC))


def place_event(model: type[PlaceEventT], case_id: uuid.UUID, **fields: Any) -> PlaceEventT:
    """A day-care day's waiting-list event (4 March 2025, 08:00 to 17:00 in Germany)."""
    start, end = DAY_CARE_DAY
    common: dict[str, Any] = {
        "case_id": case_id,
        "site": SITE,
        "entry_id": uuid.uuid4(),
        "need_id": uuid.uuid4(),
        "resource_type": "day_care_place",
        "start": start,
        "end": end,
    }
    return model(**{**common, **fields})


def series_changed(
    case_id: uuid.UUID, need_id: uuid.UUID | None = None, **fields: Any
) -> BookingSeriesChanged:
    """A Tuesday/Thursday series of four days: three booked, 6 March waiting."""
    days = [date(2025, 3, 4), date(2025, 3, 6), date(2025, 3, 11), date(2025, 3, 13)]
    states = ["booked", "waitlisted", "booked", "booked"]
    common: dict[str, Any] = {
        "case_id": case_id,
        "site": SITE,
        "need_id": need_id or uuid.uuid4(),
        "resource_type": "day_care_place",
        "change": "booked",
        "total": 4,
        "booked": 3,
        "next_date": days[0],
        "waitlisted_dates": [days[1]],
        "occurrences": [
            SeriesOccurrence(date=day, status=state)
            for day, state in zip(days, states, strict=True)
        ],
    }
    return BookingSeriesChanged(**{**common, **fields})
