"""A recurring need's state, told whole (`BookingSeriesChanged`) whenever something of it
changes: booked, a day's waiting entry promoted or ended, cancelled from a date on. The case
view then shows "booked n of m, next on …, waiting on …" from the event alone."""

import uuid
from collections.abc import Mapping
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.bookings import repository
from cq_scheduling.bookings.models import BookingSeries, BookingStatus
from cq_scheduling.bookings.series_change import SeriesChange
from cq_scheduling.waitlist import repository as waitlist
from cq_scheduling.waitlist.models import EntryStatus
from cq_shared.contracts.scheduling import BookingSeriesChanged, SeriesOccurrence
from cq_shared.service import ServiceContext
from cq_shared.sites import Site

BOOKED = "booked"
OFFERED = "offered"
WAITLISTED = "waitlisted"
CANCELLED = "cancelled"
UNAVAILABLE = "unavailable"


async def tell(
    session: AsyncSession,
    context: ServiceContext,
    needs: Mapping[uuid.UUID, SeriesChange],
    *,
    now: datetime,
) -> None:
    """Stage the state of every series among `needs` (needs of single days are none), each
    with what happened to it."""
    for need_id, change in sorted(needs.items()):
        row = await session.get(BookingSeries, need_id, populate_existing=True)
        if row is not None:
            event = await state(session, row, change=change, site=context.sites[row.site], now=now)
            await context.writer.add(session, event, subject=str(row.case_id), site=row.site)


async def state(
    session: AsyncSession, row: BookingSeries, *, change: str, site: Site, now: datetime
) -> BookingSeriesChanged:
    occurrences = await _occurrences(session, row, site)
    today = site.today(now)
    live = [o for o in occurrences if o.status != CANCELLED]
    booked = [o.date for o in live if o.status == BOOKED]
    return BookingSeriesChanged(
        case_id=row.case_id,
        site=row.site,
        need_id=row.need_id,
        resource_type=row.resource_type,
        change=change,
        total=len(live),
        booked=len(booked),
        next_date=next((day for day in booked if day >= today), None),
        waitlisted_dates=[o.date for o in live if o.status == WAITLISTED],
        occurrences=occurrences,
    )


async def _occurrences(
    session: AsyncSession, row: BookingSeries, site: Site
) -> list[SeriesOccurrence]:
    # The latest word on each day: a booking that takes the place, a live entry, or what
    # ended them (entries and bookings come in order, so later ones overwrite earlier).
    said: dict[date, SeriesOccurrence] = {}
    for entry in await waitlist.of_need(session, row.need_id):
        if entry.starts_at is None:
            continue
        day = site.today(entry.starts_at)
        status = EntryStatus(entry.status)
        if status == EntryStatus.WAITLISTED:
            position = await waitlist.position(session, entry)
            said[day] = SeriesOccurrence(
                date=day, status=WAITLISTED, entry_id=entry.id, position=position
            )
        elif status in (EntryStatus.CANCELLED, EntryStatus.DECLINED, EntryStatus.EXPIRED):
            word = CANCELLED if status == EntryStatus.CANCELLED else UNAVAILABLE
            said[day] = SeriesOccurrence(date=day, status=word, entry_id=entry.id)
    for booking in await repository.of_need(session, row.need_id):
        day = site.today(booking.starts_at)
        if booking.status == BookingStatus.CONFIRMED:
            said[day] = SeriesOccurrence(date=day, status=BOOKED, booking_id=booking.id)
        elif booking.status == BookingStatus.HELD:
            said[day] = SeriesOccurrence(date=day, status=OFFERED, booking_id=booking.id)
        elif (booking.status == BookingStatus.CANCELLED and day not in said) or (
            booking.status == BookingStatus.CANCELLED and said[day].status != BOOKED
        ):
            said[day] = SeriesOccurrence(date=day, status=CANCELLED, booking_id=booking.id)
    cancelled_from = row.cancelled_from
    return [
        SeriesOccurrence(date=day, status=CANCELLED)
        if cancelled_from is not None and day >= cancelled_from and day not in said
        else said.get(day, SeriesOccurrence(date=day, status=UNAVAILABLE))
        for day in row.days
    ]
