"""The places' side of the one waiting list (decision 0018): a need that finds no place
waits in its pool; a freed place goes to the first waiting entry whose period it fits, by the
pool's policy (`automatic`: booked at once; `offer`: a held booking and a durable timer);
offers are accepted, declined, or expire. Every move returns what it did as `Moves`, for the
caller to tell (events, series, availability) in the same transaction.

Lock order, everywhere: the pools (sorted), then the booking rows, then the resources'
advisory locks of new bookings, then the availability lock (announce, last)."""

import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.availability.announce import PlaceChange
from cq_scheduling.bookings import place_events, repository
from cq_scheduling.bookings.models import Booking, BookingStatus
from cq_scheduling.bookings.places import PER_DAY
from cq_scheduling.bookings.resource_booking import claim_any
from cq_scheduling.bookings.series_change import SeriesChange, stronger
from cq_scheduling.sites import repository as sites
from cq_scheduling.waitlist import queue
from cq_scheduling.waitlist import repository as waitlist
from cq_scheduling.waitlist.models import EntryStatus, PoolEntry, Promotion
from cq_scheduling.waitlist.repository import LockedPool
from cq_shared.contracts.common import Urgency
from cq_shared.contracts.scheduling import PlaceWaitlisted, PlaceWaitlistEvent
from cq_shared.messaging.outbox import Staged
from cq_shared.timers import cancel_timer, schedule_timer

# Waiting entries tried for one freed period: the guest apartment's queue may hold periods
# that do not fit; more than this many in front of a fitting one is not a queue any more.
MOST_TRIED = 50


@dataclass
class Moves:
    """What moves did: the events for the cases, the periods whose figures changed, and
    the needs whose bookings or entries moved, each with what happened to it (a series
    tells its whole state again, with its own word)."""

    events: list[Staged] = field(default_factory=list)
    changes: list[PlaceChange] = field(default_factory=list)
    needs: dict[uuid.UUID, SeriesChange] = field(default_factory=dict)

    def freed(self, booking: Booking) -> None:
        self.changes.append(booking.place_change())

    def moved(self, entry: PoolEntry, change: SeriesChange) -> None:
        self.changed(entry.need_id, change)

    def changed(self, need_id: uuid.UUID | None, change: SeriesChange) -> None:
        if need_id is not None:
            self.needs[need_id] = stronger(self.needs.get(need_id), change)

    def absorb(self, other: "Moves") -> None:
        self.events += other.events
        self.changes += other.changes
        for need_id, change in other.needs.items():
            self.changed(need_id, change)


async def wait(
    session: AsyncSession,
    pool: LockedPool,
    *,
    case_id: uuid.UUID,
    need_id: uuid.UUID | None,
    resource_type: str,
    period: tuple[datetime, datetime],
    now: datetime,
    urgency: Urgency,
) -> PlaceWaitlisted:
    """Join the pool (locked by `places.lock_pools`) for `period`: waiting, in the queue's
    order (arrival, or by `urgency` where the site's rule says so)."""
    counted = await waitlist.take_arrival(session, pool.id)
    assert counted is not None, "locked by the caller"
    arrival = await queue.arrive(
        session,
        counted,
        case_id=case_id,
        need_id=need_id,
        now=now,
        period=period,
        urgency=urgency,
    )
    entry = arrival.transition.entry
    position = arrival.transition.position
    if position is None:  # the case's earlier live entry, no longer waiting
        position = await waitlist.position(session, entry)
    return place_events.waitlisted(entry, resource_type, max(position, 1))


async def free_and_promote(
    session: AsyncSession, pools: list[LockedPool], booking: Booking, *, now: datetime, moves: Moves
) -> None:
    """`booking` no longer takes its place (cancelled, released, expired): tell the change and
    give its period to those waiting for it."""
    moves.freed(booking)
    await promote(
        session,
        pools,
        booking.resource_type,
        booking.starts_at,
        booking.ends_at,
        now=now,
        moves=moves,
    )


async def promote(
    session: AsyncSession,
    pools: list[LockedPool],
    resource_type: str,
    start: datetime,
    end: datetime,
    *,
    now: datetime,
    moves: Moves,
) -> None:
    """[start, end) was freed: give it, pool by pool (all locked by the caller), to the
    first waiting entries it fits, until no place is left for the next one. A period that
    has ended is given to nobody (a booking and a mail for days gone by)."""
    if end <= now:
        return
    for pool in pools:
        for entry in await waitlist.waiting_for(session, pool.id, start, end, limit=MOST_TRIED):
            if entry.ends_at is not None and entry.ends_at <= now:
                continue  # waited for a period that has ended: it stays waiting, unpromoted
            placed = await _place(session, pool, entry, resource_type, now=now, moves=moves)
            # A day's entries all want the same day: if this one found nothing, nobody will.
            if not placed and resource_type in PER_DAY:
                break


async def _place(
    session: AsyncSession,
    pool: LockedPool,
    entry: PoolEntry,
    resource_type: str,
    *,
    now: datetime,
    moves: Moves,
) -> bool:
    assert entry.starts_at is not None, "a place's entry"
    assert entry.ends_at is not None, "a place's entry"
    offer = pool.promotion == Promotion.OFFER and pool.hold_hours is not None
    seats = await waitlist.free_seats(session, pool) if offer else []
    if offer and not seats:
        return False  # every seat of the day holds an open offer: the next comes when one ends
    expires = now + timedelta(hours=pool.hold_hours or 0) if offer else None

    def booking(resource_id: uuid.UUID) -> Booking:
        assert entry.starts_at is not None
        assert entry.ends_at is not None
        return Booking(
            site=entry.site,
            case_id=entry.case_id,
            need_id=entry.need_id,
            resource_type=resource_type,
            resource_id=resource_id,
            starts_at=entry.starts_at,
            ends_at=entry.ends_at,
            status=BookingStatus.HELD if offer else BookingStatus.CONFIRMED,
            hold_expires_at=expires,
            created_at=now,
        )

    claimed = await claim_any(session, entry.site, resource_type, lambda r: booking(r.id))
    if claimed is None:
        return False
    made, resource = claimed
    if offer:
        assert expires is not None, "an offer has an end"
        moved = await waitlist.set_status(
            session,
            entry.id,
            EntryStatus.OFFERED,
            now=now,
            seat=seats[0],
            expires=expires,
            booking_id=made.id,
        )
        await schedule_timer(
            session,
            key=queue.offer_timer_key(moved.id),
            kind=queue.OFFER_EXPIRY,
            at=expires,
            payload={"entry_id": str(moved.id)},
            site=pool.site,
        )
        event: PlaceWaitlistEvent = place_events.offered(moved, resource_type, resource.name)
    else:
        moved = await waitlist.set_status(
            session, entry.id, EntryStatus.BOOKED, now=now, booking_id=made.id
        )
        event = place_events.promoted(moved, resource_type, resource.name)
    moves.events.append(place_events.staged(event))
    moves.freed(made)
    moves.moved(moved, SeriesChange.PROMOTED)
    return True


async def accept(session: AsyncSession, entry_id: uuid.UUID, *, now: datetime) -> Moves | None:
    """Take an open offer: its held booking is confirmed. None: no such entry;
    NotOfferedError: no open offer (or its hold ran out)."""
    found = await _locked(session, entry_id)
    if found is None:
        return None
    _pool, entry, resource_type = found
    expires = entry.offer_expires_at
    if entry.status != EntryStatus.OFFERED or expires is None or expires <= now:
        raise queue.NotOfferedError
    await cancel_timer(session, queue.offer_timer_key(entry.id))
    held = await _held_booking(session, entry)
    held.status = BookingStatus.CONFIRMED
    held.hold_expires_at = None
    session.add(held)
    await session.flush()
    booked = await waitlist.set_status(session, entry.id, EntryStatus.BOOKED, now=now)
    resource = await sites.resource(session, held.resource_id) if held.resource_id else None
    name = resource.name if resource is not None else resource_type
    moves = Moves()
    moves.events.append(place_events.staged(place_events.promoted(booked, resource_type, name)))
    moves.moved(booked, SeriesChange.PROMOTED)
    moves.freed(held)  # unchanged figures, but told like every change of bookings
    return moves


async def leave(
    session: AsyncSession, entry_id: uuid.UUID, to: EntryStatus, *, now: datetime
) -> Moves | None:
    """End a live entry: `cancelled` (waiting or offered), `declined` or `expired` (an
    open offer). An offer's held booking is given back, and goes to the next one waiting.
    None: no such entry. Ending an ended entry changes nothing."""
    found = await _locked(session, entry_id)
    if found is None:
        return None
    pool, entry, resource_type = found
    moves = Moves()
    if entry.status not in (EntryStatus.WAITLISTED, EntryStatus.OFFERED):
        return moves
    if to != EntryStatus.CANCELLED and entry.status != EntryStatus.OFFERED:
        raise queue.NotOfferedError
    held = None
    if entry.status == EntryStatus.OFFERED:
        await cancel_timer(session, queue.offer_timer_key(entry.id))
        held = await _held_booking(session, entry)
        gone = BookingStatus.EXPIRED if to == EntryStatus.EXPIRED else BookingStatus.RELEASED
        held.status = gone
        held.hold_expires_at = None
        session.add(held)
        await session.flush()  # freed before the next one is booked into it
    ended = await waitlist.set_status(session, entry.id, to, now=now)
    moves.events.append(place_events.staged(place_events.ended(ended, resource_type)))
    withdrawn = to == EntryStatus.CANCELLED
    moves.moved(ended, SeriesChange.CANCELLED if withdrawn else SeriesChange.WAIT_ENDED)
    if held is not None:
        moves.freed(held)
        await promote(
            session, [pool], resource_type, held.starts_at, held.ends_at, now=now, moves=moves
        )
    return moves


async def expire_offer(session: AsyncSession, entry_id: uuid.UUID, *, now: datetime) -> Moves:
    """The offer timer fired: an offer still open and due expires and moves on; anything
    else (accepted or declined meanwhile) is left alone."""
    seen = await waitlist.entry(session, entry_id)
    expires = None if seen is None else seen.offer_expires_at
    if seen is None or seen.status != EntryStatus.OFFERED or expires is None or expires > now:
        return Moves()
    return await leave(session, entry_id, EntryStatus.EXPIRED, now=now) or Moves()


async def _locked(
    session: AsyncSession, entry_id: uuid.UUID
) -> tuple[LockedPool, PoolEntry, str] | None:
    """The entry and its pool, both locked (the pool first), and the pool's place type."""
    seen = await waitlist.entry(session, entry_id)
    if seen is None:
        return None
    kind = await waitlist.kind(session, seen.pool_id)
    if kind is None or kind[1] is None:
        return None  # a course's registration: not a place
    pool = await waitlist.lock(session, seen.pool_id)
    entry = await waitlist.entry(session, entry_id, for_update=True)
    assert pool is not None, "pools are never deleted"
    assert entry is not None, "entries are never deleted while their pool exists"
    return pool, entry, kind[1]


async def _held_booking(session: AsyncSession, entry: PoolEntry) -> Booking:
    assert entry.booking_id is not None, "an offered place's entry names its held booking"
    held = await repository.get_for_update(session, entry.booking_id)
    assert held is not None, "bookings are never deleted"
    return held
