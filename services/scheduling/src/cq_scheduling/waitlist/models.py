"""Capacity pools and their entries: one waiting-list mechanism for every kind of place.

A pool is anything with a fixed number of places that people queue for: a course today; a
(site, resource type, day) of guest apartments or day-care places next. An entry is one
person's claim on a pool: holding a seat (`confirmed`, `offered`), waiting, or ended.

The database keeps the invariants, whatever the caller does:
- a holding entry has a seat number between 1 and the pool's capacity, and no two holding
  entries of a pool share one: never more places held than the capacity;
- the capacity an entry is checked against is the pool's own (a composite foreign key);
- arrivals are numbered per pool, uniquely: first come, first served is an order, not a guess
  (within a priority rank, when the site configures one: waitlist/priority.py);
- a case holds or waits for a pool at most once.
"""

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    ForeignKeyConstraint,
    Index,
    Integer,
    SmallInteger,
    UniqueConstraint,
    text,
)
from sqlmodel import Field, SQLModel

from cq_shared.db.columns import utc_datetime_column


class PoolKind(StrEnum):
    COURSE = "course"  # a course's places (the pool's id is the course's)
    # A site's places of a resource type: one pool per day for day-care places, one for the
    # whole type for the guest apartment (its entries carry the period asked for; see
    # docs/decisions/0018). The bookings' exclusion constraint keeps their capacity.
    PLACE = "place"


class Promotion(StrEnum):
    """What happens to the first person waiting when a seat is freed."""

    AUTOMATIC = "automatic"  # confirmed at once
    OFFER = "offer"  # the seat is held for them for `hold_hours`; they accept or decline


class Priority(StrEnum):
    """A site's order of its waiting lists (waitlist/priority.py gives the ranks)."""

    ARRIVAL = "arrival"  # first come, first served: everybody has rank 0
    URGENCY = "urgency"  # emergency before urgent before routine, each by arrival


class EntryStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITLISTED = "waitlisted"
    OFFERED = "offered"
    CANCELLED = "cancelled"
    DECLINED = "declined"
    EXPIRED = "expired"
    # A place's entry that became a booking (promoted automatically, or an offer accepted):
    # from then on the booking holds the place, under the bookings' exclusion constraint.
    BOOKED = "booked"


HOLDING = (EntryStatus.CONFIRMED, EntryStatus.OFFERED)  # these occupy a seat
LIVE = (*HOLDING, EntryStatus.WAITLISTED)  # these still count for the pool
LONGEST_HOLD_HOURS = 168  # a week: longer, and the seat is lost to everybody


def _quoted(statuses: tuple[EntryStatus, ...]) -> str:
    return ", ".join(f"'{status.value}'" for status in statuses)


class CapacityPool(SQLModel, table=True):
    """The row every change of a pool locks first (FOR UPDATE): registrations, cancellations
    and promotions of one pool serialize on it, and `last_arrival` numbers its arrivals."""

    __tablename__ = "capacity_pools"
    __table_args__ = (
        CheckConstraint("capacity >= 1", name="ck_capacity_pools_capacity"),
        CheckConstraint(
            f"promotion IN ({', '.join(repr(p.value) for p in Promotion)})",
            name="ck_capacity_pools_promotion",
        ),
        CheckConstraint(
            "(promotion = 'offer') = (hold_hours IS NOT NULL)", name="ck_capacity_pools_hold"
        ),
        CheckConstraint(
            f"hold_hours BETWEEN 1 AND {LONGEST_HOLD_HOURS}", name="ck_capacity_pools_hold_hours"
        ),
        # The target of the entries' (pool_id, pool_capacity) foreign key.
        UniqueConstraint("id", "capacity", name="uq_capacity_pools_id_capacity"),
    )

    id: uuid.UUID = Field(primary_key=True)
    site: str = Field(index=True)
    kind: str
    resource_type: str | None = None  # a place pool's type (day_care_place, ...)
    capacity: int
    promotion: str
    hold_hours: int | None = None
    last_arrival: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    created_at: datetime = Field(sa_column=utc_datetime_column())


class PoolEntry(SQLModel, table=True):
    """One person's place in a pool (for a course: a registration)."""

    __tablename__ = "waitlist_entries"
    __table_args__ = (
        # ON UPDATE CASCADE: a changed capacity reaches every entry, and a capacity below a
        # held seat number then fails the seat check instead of overbooking silently.
        ForeignKeyConstraint(
            ["pool_id", "pool_capacity"],
            ["capacity_pools.id", "capacity_pools.capacity"],
            name="fk_waitlist_entries_pool",
            onupdate="CASCADE",
        ),
        CheckConstraint(
            f"status IN ({_quoted(tuple(EntryStatus))})", name="ck_waitlist_entries_status"
        ),
        CheckConstraint(
            f"(status IN ({_quoted(HOLDING)})) = (seat IS NOT NULL)",
            name="ck_waitlist_entries_seat_held",
        ),
        CheckConstraint("seat BETWEEN 1 AND pool_capacity", name="ck_waitlist_entries_seat"),
        CheckConstraint(
            "(status = 'offered') = (offer_expires_at IS NOT NULL)",
            name="ck_waitlist_entries_offer",
        ),
        # NULL seats (waiting, ended) are distinct: only held seats are unique.
        UniqueConstraint("pool_id", "seat", name="uq_waitlist_entries_seat"),
        UniqueConstraint("pool_id", "arrival", name="uq_waitlist_entries_arrival"),
        Index(
            "uq_waitlist_entries_live_case",
            "pool_id",
            "case_id",
            unique=True,
            postgresql_where=text(f"status IN ({_quoted(LIVE)})"),
        ),
        # The queue, in its one order (rank, arrival): the first waiting entry of a pool,
        # found without a sort.
        Index(
            "ix_waitlist_entries_queue",
            "pool_id",
            "rank",
            "arrival",
            postgresql_where=text("status = 'waitlisted'"),
        ),
    )

    id: uuid.UUID = Field(primary_key=True)
    pool_id: uuid.UUID
    pool_capacity: int
    site: str
    case_id: uuid.UUID = Field(index=True)
    need_id: uuid.UUID | None = None
    # Order of arrival in the pool: the number the pool's counter gave under its lock.
    arrival: int = Field(sa_column=Column(BigInteger, nullable=False))
    # The priority rank the site's rule gave it on arrival (waitlist/priority.py): the queue
    # is ordered by (rank, arrival). 0 for everybody where the site keeps arrival order.
    rank: int = Field(
        default=0, sa_column=Column(SmallInteger, nullable=False, server_default=text("0"))
    )
    status: str
    seat: int | None = Field(default=None, sa_column=Column(Integer, nullable=True))
    offer_expires_at: datetime | None = Field(
        default=None, sa_column=utc_datetime_column(nullable=True)
    )
    # A place's entry: the period asked for, and the booking that holds or held the place
    # for it (the held booking of an offer, then the confirmed one). None for courses.
    starts_at: datetime | None = Field(default=None, sa_column=utc_datetime_column(nullable=True))
    ends_at: datetime | None = Field(default=None, sa_column=utc_datetime_column(nullable=True))
    booking_id: uuid.UUID | None = Field(default=None, index=True)
    created_at: datetime = Field(sa_column=utc_datetime_column())
    updated_at: datetime = Field(sa_column=utc_datetime_column())


class WaitlistPolicy(SQLModel, table=True):
    """A site's choice to waitlist a resource type that finds no capacity (site data:
    `[[sites.waitlist]]`), and how a freed place is given. Types without a row are refused
    as before (BookingUnavailable)."""

    __tablename__ = "waitlist_policies"
    __table_args__ = (
        CheckConstraint(
            f"promotion IN ({', '.join(repr(p.value) for p in Promotion)})",
            name="ck_waitlist_policies_promotion",
        ),
        CheckConstraint(
            "(promotion = 'offer') = (hold_hours IS NOT NULL)", name="ck_waitlist_policies_hold"
        ),
        CheckConstraint(
            f"hold_hours BETWEEN 1 AND {LONGEST_HOLD_HOURS}",
            name="ck_waitlist_policies_hold_hours",
        ),
    )

    site: str = Field(primary_key=True)
    resource_type: str = Field(primary_key=True)
    promotion: str
    hold_hours: int | None = None


class WaitlistPriority(SQLModel, table=True):
    """A site's rule for the order of its waiting lists (site data: `waitlist_priority`),
    read by every arrival. A site without a row keeps arrival order."""

    __tablename__ = "waitlist_priorities"
    __table_args__ = (
        CheckConstraint(
            f"priority IN ({', '.join(repr(p.value) for p in Priority)})",
            name="ck_waitlist_priorities_priority",
        ),
    )

    site: str = Field(primary_key=True)
    priority: str
