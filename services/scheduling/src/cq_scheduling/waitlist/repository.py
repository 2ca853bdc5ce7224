"""All SQL of the waiting list. Never commits: the caller owns the transaction.

Every change of a pool's entries first locks the pool's row (`take_arrival` or `lock`), so
the changes of one pool run one after the other, in a fixed order (pool, then entries)."""

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, text
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.waitlist.models import CapacityPool, EntryStatus, PoolEntry
from cq_scheduling.waitlist.priority import rank_of
from cq_shared.contracts.common import Urgency


@dataclass(frozen=True)
class LockedPool:
    """A pool's settings, read under its row lock (held until the transaction ends)."""

    id: uuid.UUID
    site: str
    capacity: int
    promotion: str
    hold_hours: int | None
    last_arrival: int


@dataclass(frozen=True)
class Figures:
    confirmed: int = 0
    offered: int = 0
    waitlisted: int = 0


# Counting the arrival is what locks the pool: concurrent arrivals queue on this row, and the
# order in which they get it is their order on the waiting list.
_TAKE_ARRIVAL = text(
    "UPDATE capacity_pools SET last_arrival = last_arrival + 1 WHERE id = :pool "
    "RETURNING id, site, capacity, promotion, hold_hours, last_arrival"
)
_LOCK = text(
    "SELECT id, site, capacity, promotion, hold_hours, last_arrival "
    "FROM capacity_pools WHERE id = :pool FOR UPDATE"
)
# The newcomer gets the lowest free seat, unless somebody is already waiting (they came
# first) or no seat is free; then it waits, with the rank its site's rule gives it (the
# case's urgency rank where the site orders by urgency, else 0). A live
# entry of the same case stays the only one (the partial unique index), and the caller reads
# that one instead.
_ARRIVE = text(
    """
    INSERT INTO waitlist_entries (id, pool_id, pool_capacity, site, case_id, need_id,
                                  arrival, rank, status, seat, offer_expires_at, starts_at,
                                  ends_at, created_at, updated_at)
    SELECT :id, :pool, :capacity, :site, :case_id, :need_id, :arrival,
           CASE WHEN EXISTS (
               SELECT 1 FROM waitlist_priorities p
               WHERE p.site = CAST(:site AS varchar) AND p.priority = 'urgency'
           ) THEN CAST(:rank AS smallint) ELSE 0 END,
           CASE WHEN free.seat IS NULL THEN 'waitlisted' ELSE 'confirmed' END,
           free.seat, NULL, :starts_at, :ends_at, :now, :now
    FROM (
        SELECT (
            SELECT s FROM generate_series(1, :capacity) AS s
            WHERE NOT CAST(:queue_only AS boolean)
            AND NOT EXISTS (
                SELECT 1 FROM waitlist_entries e WHERE e.pool_id = :pool AND e.seat = s
            )
            AND NOT EXISTS (
                SELECT 1 FROM waitlist_entries w
                WHERE w.pool_id = :pool AND w.status = 'waitlisted'
            )
            ORDER BY s LIMIT 1
        ) AS seat
    ) AS free
    ON CONFLICT (pool_id, case_id)
        WHERE status IN ('confirmed', 'offered', 'waitlisted') DO NOTHING
    RETURNING *
    """
)
_LIVE_OF_CASE = text(
    "SELECT * FROM waitlist_entries "
    "WHERE pool_id = :pool AND case_id = :case_id "
    "AND status IN ('confirmed', 'offered', 'waitlisted')"
)
_ENTRY = text("SELECT * FROM waitlist_entries WHERE id = :id")
_ENTRY_FOR_UPDATE = text("SELECT * FROM waitlist_entries WHERE id = :id FOR UPDATE")
_SET_STATUS = text(
    """
    UPDATE waitlist_entries
    SET status = :status, seat = :seat, offer_expires_at = :expires, updated_at = :now,
        booking_id = COALESCE(:booking_id, booking_id)
    WHERE id = :id
    RETURNING *
    """
)
_FIRST_WAITING = text(
    "SELECT * FROM waitlist_entries "
    "WHERE pool_id = :pool AND status = 'waitlisted' ORDER BY rank, arrival LIMIT 1 FOR UPDATE"
)
_FREE_SEATS = text(
    "SELECT s FROM generate_series(1, :capacity) AS s WHERE NOT EXISTS ("
    "SELECT 1 FROM waitlist_entries e WHERE e.pool_id = :pool AND e.seat = s) ORDER BY s"
)
# The queue's order is (rank, arrival) in every statement below that picks, counts or
# numbers waiting entries: the first waiting, a position, the list's positions, a freed
# place's candidates. Position: those waiting before the entry, and itself.
_POSITION = text(
    "SELECT count(*) FROM waitlist_entries "
    "WHERE pool_id = :pool AND status = 'waitlisted' "
    "AND (rank, arrival) <= (CAST(:rank AS smallint), CAST(:arrival AS bigint))"
)
_FIGURES = text(
    "SELECT pool_id, status, count(*) AS n FROM waitlist_entries "
    "WHERE pool_id = ANY(:pools) AND status IN ('confirmed', 'offered', 'waitlisted') "
    "GROUP BY pool_id, status"
)
# Waiting entries get their 1-based place in the queue; the others none. Listed in order of
# arrival (who came when); the positions are the queue's order.
_ENTRIES = text(
    """
    SELECT *,
           CASE WHEN status = 'waitlisted' THEN
               row_number() OVER (PARTITION BY status = 'waitlisted' ORDER BY rank, arrival)
           END AS position
    FROM waitlist_entries WHERE pool_id = :pool
    ORDER BY arrival
    LIMIT :limit
    """
)


def _entry(row: RowMapping) -> PoolEntry:
    return PoolEntry(**{key: row[key] for key in PoolEntry.model_fields})


def _pool(row: RowMapping | None) -> LockedPool | None:
    return None if row is None else LockedPool(**row)


async def create_pool(session: AsyncSession, pool: CapacityPool) -> None:
    await session.execute(
        text(
            "INSERT INTO capacity_pools (id, site, kind, capacity, promotion, hold_hours, "
            "last_arrival, created_at) VALUES (:id, :site, :kind, :capacity, :promotion, "
            ":hold_hours, 0, :created_at)"
        ),
        pool.model_dump(exclude={"last_arrival", "resource_type"}),
    )


async def take_arrival(session: AsyncSession, pool_id: uuid.UUID) -> LockedPool | None:
    found = await session.execute(_TAKE_ARRIVAL, {"pool": pool_id})
    return _pool(found.mappings().first())


async def lock(session: AsyncSession, pool_id: uuid.UUID) -> LockedPool | None:
    found = await session.execute(_LOCK, {"pool": pool_id})
    return _pool(found.mappings().first())


async def arrive(
    session: AsyncSession,
    pool: LockedPool,
    *,
    case_id: uuid.UUID,
    need_id: uuid.UUID | None,
    now: datetime,
    period: tuple[datetime, datetime] | None = None,
    urgency: Urgency = Urgency.ROUTINE,
) -> PoolEntry | None:
    """The new entry (confirmed or waiting), or None if the case already has a live one.
    With a `period` (a place's entry) it always waits: the caller found no place free. The
    case's `urgency` ranks it where the site's rule is `urgency`."""
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "pool": pool.id,
        "capacity": pool.capacity,
        "site": pool.site,
        "case_id": case_id,
        "need_id": need_id,
        "arrival": pool.last_arrival,
        "rank": rank_of(urgency),
        "now": now,
        "queue_only": period is not None,
        "starts_at": None if period is None else period[0],
        "ends_at": None if period is None else period[1],
    }
    row = (await session.execute(_ARRIVE, values)).mappings().first()
    return None if row is None else _entry(row)


async def live_entry_of_case(
    session: AsyncSession, pool_id: uuid.UUID, case_id: uuid.UUID
) -> PoolEntry | None:
    found = await session.execute(_LIVE_OF_CASE, {"pool": pool_id, "case_id": case_id})
    row = found.mappings().first()
    return None if row is None else _entry(row)


async def entry(
    session: AsyncSession, entry_id: uuid.UUID, *, for_update: bool = False
) -> PoolEntry | None:
    query = _ENTRY_FOR_UPDATE if for_update else _ENTRY
    row = (await session.execute(query, {"id": entry_id})).mappings().first()
    return None if row is None else _entry(row)


async def set_status(
    session: AsyncSession,
    entry_id: uuid.UUID,
    status: EntryStatus,
    *,
    now: datetime,
    seat: int | None = None,
    expires: datetime | None = None,
    booking_id: uuid.UUID | None = None,
) -> PoolEntry:
    values = {
        "id": entry_id,
        "status": status.value,
        "seat": seat,
        "expires": expires,
        "now": now,
        "booking_id": booking_id,
    }
    return _entry((await session.execute(_SET_STATUS, values)).mappings().one())


async def first_waiting(session: AsyncSession, pool_id: uuid.UUID) -> PoolEntry | None:
    row = (await session.execute(_FIRST_WAITING, {"pool": pool_id})).mappings().first()
    return None if row is None else _entry(row)


async def free_seats(session: AsyncSession, pool: LockedPool) -> list[int]:
    found = await session.execute(_FREE_SEATS, {"pool": pool.id, "capacity": pool.capacity})
    return list(found.scalars().all())


async def position(session: AsyncSession, entry: PoolEntry) -> int:
    values = {"pool": entry.pool_id, "rank": entry.rank, "arrival": entry.arrival}
    found = await session.execute(_POSITION, values)
    return int(found.scalar_one())


async def figures(
    session: AsyncSession, pool_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, Figures]:
    if not pool_ids:
        return {}
    found = await session.execute(_FIGURES, {"pools": list(pool_ids)})
    counts: dict[uuid.UUID, dict[str, int]] = {pool_id: {} for pool_id in pool_ids}
    for pool_id, status, n in found.all():
        counts[pool_id][status] = n
    return {pool_id: Figures(**by_status) for pool_id, by_status in counts.items()}


async def entries(
    session: AsyncSession, pool_id: uuid.UUID, *, limit: int
) -> Sequence[tuple[PoolEntry, int | None]]:
    found = await session.execute(_ENTRIES, {"pool": pool_id, "limit": limit})
    return [(_entry(row), row["position"]) for row in found.mappings().all()]


_ENSURE_POOL = text(
    "INSERT INTO capacity_pools (id, site, kind, resource_type, capacity, promotion, "
    "hold_hours, last_arrival, created_at) VALUES (:id, :site, :kind, :resource_type, "
    ":capacity, :promotion, :hold_hours, 0, :now) "
    # A pool made smaller seats than it needs now (resources added, or a period pool made
    # before decision 0018's addendum) grows; it never shrinks below a held seat here.
    "ON CONFLICT (id) DO UPDATE SET capacity = EXCLUDED.capacity "
    "WHERE capacity_pools.capacity < EXCLUDED.capacity"
)
# A place's waiting entries in the queue's order, of those whose period overlaps [start, end).
_WAITING_FOR = text(
    "SELECT * FROM waitlist_entries WHERE pool_id = :pool AND status = 'waitlisted' "
    "AND tstzrange(starts_at, ends_at) && tstzrange(:start, :end) "
    "ORDER BY rank, arrival LIMIT :limit FOR UPDATE"
)
_KIND = text("SELECT kind, resource_type FROM capacity_pools WHERE id = :pool")
_LIVE_OF_NEED = text(
    "SELECT * FROM waitlist_entries WHERE need_id = :need_id "
    "AND status IN ('confirmed', 'offered', 'waitlisted') ORDER BY starts_at"
)
_OF_NEED = text("SELECT * FROM waitlist_entries WHERE need_id = :need_id ORDER BY arrival")
_OF_BOOKING = text(
    "SELECT * FROM waitlist_entries WHERE booking_id = :booking_id "
    "AND status IN ('offered', 'booked') FOR UPDATE"
)


async def ensure_pool(session: AsyncSession, pool: CapacityPool) -> None:
    """Create the pool unless it exists (places' pools are made on first use), or give it
    the seats it now has if those are more."""
    values = pool.model_dump(exclude={"last_arrival", "created_at"})
    await session.execute(_ENSURE_POOL, {**values, "now": pool.created_at})


async def kind(session: AsyncSession, pool_id: uuid.UUID) -> tuple[str, str | None] | None:
    """The pool's kind and (a place pool's) resource type."""
    row = (await session.execute(_KIND, {"pool": pool_id})).first()
    return None if row is None else (str(row[0]), row[1])


async def waiting_for(
    session: AsyncSession, pool_id: uuid.UUID, start: datetime, end: datetime, *, limit: int
) -> list[PoolEntry]:
    values = {"pool": pool_id, "start": start, "end": end, "limit": limit}
    return [_entry(row) for row in (await session.execute(_WAITING_FOR, values)).mappings()]


async def live_of_need(session: AsyncSession, need_id: uuid.UUID) -> list[PoolEntry]:
    found = await session.execute(_LIVE_OF_NEED, {"need_id": need_id})
    return [_entry(row) for row in found.mappings()]


async def of_booking(session: AsyncSession, booking_id: uuid.UUID) -> PoolEntry | None:
    """The entry whose place a booking holds (an offer) or became (booked), locked."""
    row = (await session.execute(_OF_BOOKING, {"booking_id": booking_id})).mappings().first()
    return None if row is None else _entry(row)


async def of_need(session: AsyncSession, need_id: uuid.UUID) -> list[PoolEntry]:
    """Every entry of a need, live or ended, in order of arrival."""
    found = await session.execute(_OF_NEED, {"need_id": need_id})
    return [_entry(row) for row in found.mappings()]
