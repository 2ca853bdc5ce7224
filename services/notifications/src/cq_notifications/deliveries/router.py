"""HTTP: what was sent to whom (for the front desk and care staff) and which templates exist."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query

from cq_notifications.deliveries import service
from cq_notifications.deliveries.models import DeliveryStatus
from cq_notifications.deliveries.schemas import DeliveryView, TemplateView
from cq_notifications.templating import FALLBACK_LANGUAGE, TemplateName, languages_of
from cq_shared.auth import Principal, Role, require_roles
from cq_shared.contracts.inputs import SiteId
from cq_shared.contracts.intake import CaseOpened
from cq_shared.contracts.scheduling import (
    BookingCancelled,
    BookingConfirmed,
    BookingSeriesChanged,
    BookingUnavailable,
    CourseRegistrationCancelled,
    CourseRegistrationConfirmed,
    CourseRegistrationExpired,
    CourseRegistrationOffered,
    CourseRegistrationPromoted,
    CourseRegistrationWaitlisted,
    PlaceOffered,
    PlacePromoted,
    PlaceWaitEnded,
    PlaceWaitlisted,
)
from cq_shared.contracts.staffing import (
    ShiftGapFilled,
    ShiftGapOffered,
    ShiftGapOpened,
    ShiftGapUnfilled,
    ShiftOfferEnded,
)
from cq_shared.contracts.volunteering import MatchAccepted, MatchProposed
from cq_shared.db import SessionDep
from cq_shared.service.dependencies import ContextDep

router = APIRouter(prefix="/v1", tags=["deliveries"])

_readers = require_roles(Role.COORDINATOR, Role.CARE_STAFF, Role.SITE_ADMIN)
Reader = Annotated[Principal, Depends(_readers)]

TEMPLATE_EVENTS: dict[TemplateName, str] = {
    TemplateName.CASE_OPENED: CaseOpened.event_type,
    TemplateName.BOOKING_CONFIRMED: BookingConfirmed.event_type,
    TemplateName.BOOKING_UNAVAILABLE: BookingUnavailable.event_type,
    TemplateName.BOOKING_CANCELLED: BookingCancelled.event_type,
    TemplateName.MATCH_PROPOSED: MatchProposed.event_type,
    TemplateName.VOLUNTEER_FOUND: MatchAccepted.event_type,
    TemplateName.COURSE_CONFIRMED: CourseRegistrationConfirmed.event_type,
    TemplateName.COURSE_WAITLISTED: CourseRegistrationWaitlisted.event_type,
    TemplateName.COURSE_OFFERED: CourseRegistrationOffered.event_type,
    TemplateName.COURSE_PROMOTED: CourseRegistrationPromoted.event_type,
    TemplateName.COURSE_CANCELLED: CourseRegistrationCancelled.event_type,
    TemplateName.COURSE_EXPIRED: CourseRegistrationExpired.event_type,
    TemplateName.PLACE_WAITLISTED: PlaceWaitlisted.event_type,
    TemplateName.PLACE_OFFERED: PlaceOffered.event_type,
    TemplateName.PLACE_PROMOTED: PlacePromoted.event_type,
    TemplateName.PLACE_EXPIRED: PlaceWaitEnded.event_type,
    # One event, a template per change that is mailed (series_news.py).
    TemplateName.SERIES_BOOKED: BookingSeriesChanged.event_type,
    TemplateName.SERIES_PROMOTED: BookingSeriesChanged.event_type,
    TemplateName.SERIES_CANCELLED: BookingSeriesChanged.event_type,
    TemplateName.SHIFT_OFFERED: ShiftGapOffered.event_type,
    TemplateName.SHIFT_OFFER_EXPIRED: ShiftOfferEnded.event_type,
    TemplateName.SHIFT_FILLED: ShiftGapFilled.event_type,
    TemplateName.SHIFT_GAP_OPENED: ShiftGapOpened.event_type,
    TemplateName.SHIFT_GAP_OFFERED: ShiftGapOffered.event_type,
    TemplateName.SHIFT_GAP_FILLED: ShiftGapFilled.event_type,
    TemplateName.SHIFT_GAP_UNFILLED: ShiftGapUnfilled.event_type,
    TemplateName.SHIFT_GAP_ALERT: ShiftGapUnfilled.event_type,
}


@router.get("/deliveries")
async def list_deliveries(
    who: Reader,
    session: SessionDep,
    context: ContextDep,
    *,
    case_id: uuid.UUID | None = None,
    site: SiteId | None = None,
    status: DeliveryStatus | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeliveryView]:
    """Deliveries newest first, limited to the caller's sites (or one of them)."""
    return await service.list_deliveries(
        session,
        who,
        site=site,
        case_id=case_id,
        status=status,
        limit=limit,
        now=context.clock.now(),
    )


@router.get("/templates", dependencies=[Depends(_readers)])
async def list_templates() -> list[TemplateView]:
    return [
        TemplateView(
            template=template.value,
            event_type=TEMPLATE_EVENTS[template],
            languages=list(languages_of(template)),
            fallback_language=FALLBACK_LANGUAGE,
        )
        for template in TemplateName
    ]
