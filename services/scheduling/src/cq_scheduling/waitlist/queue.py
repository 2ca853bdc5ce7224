"""The waiting list's moves: arrive, leave (cancel, decline, expire), accept, and the
promotion of the next person whenever a seat is freed. Every move locks the pool first, so
moves of one pool serialize; what a move did comes back as `Transition`s for the caller to
tell (events) in the same transaction."""

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.waitlist import repository
from cq_scheduling.waitlist.models import HOLDING, LIVE, EntryStatus, PoolEntry, Promotion
from cq_scheduling.waitlist.repository import LockedPool
from cq_shared.contracts.common import Urgency
from cq_shared.timers import cancel_timer, schedule_timer

# The durable timer that ends an unanswered offer (docs/decisions/0009); its key names the
# entry, so accepting or declining cancels exactly that one.
OFFER_EXPIRY = "waitlist.offer-expiry"


def offer_timer_key(entry_id: uuid.UUID) -> str:
    return f"waitlist-offer:{entry_id}"


@dataclass(frozen=True)
class Transition:
    """An entry that changed: `before` None for a new arrival; `position` for waiting ones."""

    entry: PoolEntry
    before: EntryStatus | None
    position: int | None = None

    @property
    def after(self) -> EntryStatus:
        return EntryStatus(self.entry.status)


@dataclass(frozen=True)
class Arrival:
    transition: Transition
    new: bool  # False: the case already had a live entry, which is returned unchanged


class PoolGoneError(Exception):
    """The pool of an entry no longer exists (never, while pools are not deleted)."""


class NotOfferedError(Exception):
    """Accept or decline of an entry that holds no open offer."""


async def arrive(
    session: AsyncSession,
    pool: LockedPool,
    *,
    case_id: uuid.UUID,
    need_id: uuid.UUID | None,
    now: datetime,
    period: tuple[datetime, datetime] | None = None,
    urgency: Urgency = Urgency.ROUTINE,
) -> Arrival:
    """A person joins the pool, `pool` locked by `repository.take_arrival`. With a `period`
    (a place asked for, none free) the entry waits, whatever the seats say. A waiting entry's
    place in the queue follows the site's priority rule (waitlist/priority.py)."""
    entry = await repository.arrive(
        session, pool, case_id=case_id, need_id=need_id, now=now, period=period, urgency=urgency
    )
    new = entry is not None
    if entry is None:
        entry = await repository.live_entry_of_case(session, pool.id, case_id)
        assert entry is not None, "the conflict was this case's live entry, under the lock"
    position = None
    if entry.status == EntryStatus.WAITLISTED:
        position = await repository.position(session, entry)
    return Arrival(Transition(entry, None if new else EntryStatus(entry.status), position), new)


async def leave(
    session: AsyncSession, entry_id: uuid.UUID, to: EntryStatus, *, now: datetime
) -> tuple[PoolEntry, list[Transition]] | None:
    """End a live entry (`cancelled`, `declined`, `expired`) and give its seat, if it held
    one, to whoever waits first. Ending an ended entry changes nothing (no transitions).
    None if there is no such entry. Declining or expiring needs an open offer."""
    found = await _locked(session, entry_id)
    if found is None:
        return None
    pool, entry = found
    if entry.status not in LIVE:
        return entry, []
    if to != EntryStatus.CANCELLED and entry.status != EntryStatus.OFFERED:
        raise NotOfferedError
    before = EntryStatus(entry.status)
    if before == EntryStatus.OFFERED:
        await cancel_timer(session, offer_timer_key(entry.id))
    ended = await repository.set_status(session, entry.id, to, now=now)
    moves = [Transition(ended, before)]
    if before in HOLDING:
        moves += await promote(session, pool, now=now)
    return ended, moves


async def accept(
    session: AsyncSession, entry_id: uuid.UUID, *, now: datetime
) -> tuple[PoolEntry, list[Transition]] | None:
    """Take an open offer: the held seat becomes confirmed. NotOfferedError when the entry
    holds no offer, or its hold has run out (its timer moves the offer on)."""
    found = await _locked(session, entry_id)
    if found is None:
        return None
    _pool, entry = found
    expires = entry.offer_expires_at
    if entry.status != EntryStatus.OFFERED or expires is None or expires <= now:
        raise NotOfferedError
    await cancel_timer(session, offer_timer_key(entry.id))
    confirmed = await repository.set_status(
        session, entry.id, EntryStatus.CONFIRMED, now=now, seat=entry.seat
    )
    return confirmed, [Transition(confirmed, EntryStatus.OFFERED)]


async def expire_offer(
    session: AsyncSession, entry_id: uuid.UUID, *, now: datetime
) -> list[Transition]:
    """The offer timer fired: an offer still open and due expires, and moves on. Anything
    else (accepted or declined meanwhile) is left alone."""
    found = await _locked(session, entry_id)
    if found is None:
        return []
    _pool, entry = found
    expires = entry.offer_expires_at
    if entry.status != EntryStatus.OFFERED or expires is None or expires > now:
        return []
    left = await leave(session, entry_id, EntryStatus.EXPIRED, now=now)
    return [] if left is None else left[1]


async def promote(session: AsyncSession, pool: LockedPool, *, now: datetime) -> list[Transition]:
    """Fill every free seat from the head of the queue (rank, then arrival), by the pool's
    policy."""
    moves = []
    for seat in await repository.free_seats(session, pool):
        waiting = await repository.first_waiting(session, pool.id)
        if waiting is None:
            break
        if pool.promotion == Promotion.AUTOMATIC or pool.hold_hours is None:
            promoted = await repository.set_status(
                session, waiting.id, EntryStatus.CONFIRMED, now=now, seat=seat
            )
        else:
            expires = now + timedelta(hours=pool.hold_hours)
            promoted = await repository.set_status(
                session, waiting.id, EntryStatus.OFFERED, now=now, seat=seat, expires=expires
            )
            await schedule_timer(
                session,
                key=offer_timer_key(promoted.id),
                kind=OFFER_EXPIRY,
                at=expires,
                payload={"entry_id": str(promoted.id)},
                site=pool.site,
            )
        moves.append(Transition(promoted, EntryStatus.WAITLISTED))
    return moves


async def _locked(
    session: AsyncSession, entry_id: uuid.UUID
) -> tuple[LockedPool, PoolEntry] | None:
    """The entry and its pool, both locked, the pool first (the order every move keeps)."""
    seen = await repository.entry(session, entry_id)
    if seen is None:
        return None
    pool = await repository.lock(session, seen.pool_id)
    if pool is None:
        raise PoolGoneError
    entry = await repository.entry(session, entry_id, for_update=True)
    assert entry is not None, "entries are never deleted while their pool exists"
    return pool, entry
