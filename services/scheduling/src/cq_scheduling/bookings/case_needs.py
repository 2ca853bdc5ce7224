"""What scheduling does when a case is opened: book each need it can, announce the result."""

import logging
from collections.abc import Awaitable, Callable

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.availability.announce import PlaceChange, announce
from cq_scheduling.bookings import periods, repository
from cq_scheduling.bookings.counselling import book_counselling
from cq_scheduling.bookings.events import Reason
from cq_scheduling.bookings.models import BookingSeries
from cq_scheduling.bookings.need import CaseNeed, Outcome
from cq_scheduling.bookings.place_booking import book_or_wait
from cq_scheduling.bookings.series import BOOKED
from cq_scheduling.bookings.series_booking import book_series
from cq_scheduling.courses.case_needs import register_course_need
from cq_scheduling.settings import SchedulingSettings
from cq_scheduling.sites.models import ResourceType
from cq_scheduling.waitlist import repository as waitlist
from cq_shared.contracts import NeedType
from cq_shared.contracts.intake import AnyCaseOpened, NeedRequested
from cq_shared.contracts.scheduling import (
    BookingConfirmed,
    BookingSeriesChanged,
    BookingUnavailable,
)
from cq_shared.recurrence import RecurrenceError, recurring_days
from cq_shared.service import ServiceContext
from cq_shared.sites import Site

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
        if book is None or await _handled(session, need):
            continue
        outcome = await book(session, CaseNeed(case, need, now, place))
        await context.writer.add(session, outcome, subject=str(case.case_id), site=case.site)
        outcomes.append(outcome)
    booked = (o for o in outcomes if isinstance(o, BookingConfirmed))
    changes = [PlaceChange(o.site, o.resource_type, o.start, o.end) for o in booked]
    changes += [change for o in outcomes for change in _series_changes(o, place)]
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
    return await book_or_wait(session, need, kind, start, end)


async def _day_care(session: AsyncSession, need: CaseNeed) -> Outcome:
    """One Tagespflegeplatz on the start date (today without one), within the site's daily
    capacity: the number of its day-care places; or one on every day of a recurring need.
    Without a free place, waitlisted when the site says so (else refused)."""
    first_day = need.need.start or need.place.today(need.now)
    wanted = need.need
    if wanted.until is not None or wanted.weekdays or wanted.rrule is not None:
        try:
            days = recurring_days(
                first_day, until=wanted.until, weekdays=wanted.weekdays, rrule_text=wanted.rrule
            )
        except RecurrenceError:
            # Intake refuses such a series with a 422; one reaching us anyway is told.
            return need.unavailable(ResourceType.DAY_CARE_PLACE, Reason.INVALID_PERIOD)
        return await book_series(session, need, days)
    start, end = periods.day_care(need.place, first_day)
    return await book_or_wait(session, need, ResourceType.DAY_CARE_PLACE, start, end)


async def _handled(session: AsyncSession, need: NeedRequested) -> bool:
    """Booked, waiting or a series already: the same need in a republished event (a new
    event id, so the inbox cannot know). Booking again would refuse it against itself."""
    if await repository.need_is_booked(session, need.need_id):
        return True
    if await session.get(BookingSeries, need.need_id) is not None:
        return True
    return bool(await waitlist.live_of_need(session, need.need_id))


def _series_changes(outcome: Outcome, place: Site) -> list[PlaceChange]:
    if not isinstance(outcome, BookingSeriesChanged):
        return []
    booked = (o.date for o in outcome.occurrences if o.status == BOOKED)
    return [
        PlaceChange(outcome.site, outcome.resource_type, *periods.day_care(place, day))
        for day in booked
    ]


BOOKERS: dict[NeedType, Booker] = {
    NeedType.SHORT_TERM_CARE: _short_term_care,
    NeedType.COUNSELLING: book_counselling,
    NeedType.DAY_CARE: _day_care,
}
REGISTRARS: dict[NeedType, Registrar] = {
    NeedType.PREVENTION_COURSE: register_course_need,
}
