"""What scheduling does when a case is opened: book each need it can, announce the result."""

import logging
from collections.abc import Awaitable, Callable

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.availability.announce import PlaceChange, announce
from cq_scheduling.bookings import periods, repository
from cq_scheduling.bookings.counselling import book_counselling
from cq_scheduling.bookings.events import Reason
from cq_scheduling.bookings.need import CaseNeed, Outcome
from cq_scheduling.bookings.resource_booking import book_any
from cq_scheduling.courses.case_needs import register_course_need
from cq_scheduling.settings import SchedulingSettings
from cq_scheduling.sites.models import ResourceType
from cq_shared.contracts import NeedType
from cq_shared.contracts.intake import AnyCaseOpened, NeedRequested
from cq_shared.contracts.scheduling import BookingConfirmed, BookingUnavailable
from cq_shared.service import ServiceContext

log = logging.getLogger(__name__)
Booker = Callable[[AsyncSession, CaseNeed], Awaitable[Outcome]]
# Needs another area registers, staging its own events (a course registration's); only a
# refusal comes back to be told here.
Registrar = Callable[
    [AsyncSession, ServiceContext, AnyCaseOpened, NeedRequested],
    Awaitable[BookingUnavailable | None],
]


async def book_case_needs(
    session: AsyncSession, context: ServiceContext, case: AnyCaseOpened
) -> list[Outcome]:
    """Book every need scheduling handles, each confirmed or refused by an event in this
    transaction. Other needs (volunteer visits, referrals...) belong to other services."""
    outcomes: list[Outcome] = []
    now = context.clock.now()
    place = context.sites[case.site]  # consumers only see sites that run scheduling
    for need in case.needs:
        if (register := REGISTRARS.get(need.type)) is not None:
            if (refused := await register(session, context, case, need)) is not None:
                subject = str(case.case_id)
                await context.writer.add(session, refused, subject=subject, site=case.site)
                outcomes.append(refused)
            continue
        book = BOOKERS.get(need.type)
        # Already booked: the same need in a republished event (a new event id, so the inbox
        # cannot know). Booking again would refuse it against its own booking.
        if book is None or await repository.need_is_booked(session, need.need_id):
            continue
        outcome = await book(session, CaseNeed(case, need, now, place))
        await context.writer.add(session, outcome, subject=str(case.case_id), site=case.site)
        outcomes.append(outcome)
    booked = (o for o in outcomes if isinstance(o, BookingConfirmed))
    changes = [PlaceChange(o.site, o.resource_type, o.start, o.end) for o in booked]
    await announce(session, context.writer, context.sites, changes)
    log.info("case needs booked: %s of %s", len(outcomes), len(case.needs))
    return outcomes


async def _short_term_care(session: AsyncSession, need: CaseNeed) -> Outcome:
    """Kurzzeitpflege in the Pflegegästewohnung. Without a start date: from today; without
    a length: the configured default (two weeks)."""
    first_day = need.need.start or need.place.today(need.now)
    days = need.need.days
    if days is None:
        days = SchedulingSettings().short_term_care_default_days
    kind = ResourceType.GUEST_APARTMENT
    if days < 1:
        return need.unavailable(kind, Reason.INVALID_PERIOD)
    start, end = periods.short_term_care(need.place, first_day, days)
    return await book_any(session, need, kind, start, end)


async def _day_care(session: AsyncSession, need: CaseNeed) -> Outcome:
    """One Tagespflegeplatz on the start date (today without one), within the site's daily
    capacity: the number of its day-care places."""
    start, end = periods.day_care(need.place, need.need.start or need.place.today(need.now))
    return await book_any(session, need, ResourceType.DAY_CARE_PLACE, start, end)


BOOKERS: dict[NeedType, Booker] = {
    NeedType.SHORT_TERM_CARE: _short_term_care,
    NeedType.COUNSELLING: book_counselling,
    NeedType.DAY_CARE: _day_care,
}
REGISTRARS: dict[NeedType, Registrar] = {
    NeedType.PREVENTION_COURSE: register_course_need,
}
