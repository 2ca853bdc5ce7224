"""All SQL about bookings. Never commits: the caller owns the transaction."""

import asyncio
import random
import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import func, text
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.bookings.models import TAKING, Booking, BookingStatus
from cq_scheduling.sites.models import CounsellingSlot, Resource, Staff

# The constraints that mean "already taken", as opposed to a bug in our own statement.
_TAKEN = frozenset({"ex_bookings_resource_period", "uq_bookings_slot_confirmed"})

_LOCK_RESOURCE = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
DEADLOCK_DETECTED = "40P01"
# Many requests for the same places (13 guests, 12 day-care places) can meet in a deadlock
# more than once; each retry waits a moment so the winner can commit.
DEADLOCK_ATTEMPTS = 10
DEADLOCK_PAUSE_SECONDS = 0.02

BookingRow = tuple[Booking, str, str | None]  # the booking, resource name, staff name


class AlreadyBookedError(Exception):
    """The resource is booked for an overlapping period, or the slot is booked."""


async def insert(session: AsyncSession, booking: Booking) -> Booking:
    """Insert in a SAVEPOINT, so a refused booking leaves the caller's transaction usable
    (a consumer then writes "no capacity" in it). The database decides, so two concurrent
    requests cannot both pass a check and both insert."""
    # Writers of one resource queue up here until the first commits. The constraint still
    # decides; the lock only orders them, since two transactions inserting overlapping rows
    # at once otherwise deadlock on each other's row (and every transaction takes these
    # locks in the same resource order, so they cannot deadlock on the locks).
    await session.execute(
        _LOCK_RESOURCE, {"key": f"booking:{booking.resource_id or booking.slot_id}"}
    )
    for attempt in range(1, DEADLOCK_ATTEMPTS + 1):
        try:
            async with session.begin_nested():
                session.add(booking)
        except IntegrityError as error:
            if _constraint(error) in _TAKEN:
                raise AlreadyBookedError from error
            raise
        except DBAPIError as error:
            # Two transactions inserting overlapping periods at the same moment each wait for
            # the other's row: PostgreSQL breaks the deadlock by failing one insert. Its
            # savepoint is gone and the other transaction can finish, so trying again gives
            # the real answer (usually the exclusion violation: already booked).
            if _sqlstate(error) != DEADLOCK_DETECTED or attempt == DEADLOCK_ATTEMPTS:
                raise
            # The savepoint's rollback made `booking` transient again: add it anew.
            await asyncio.sleep(random.uniform(0, DEADLOCK_PAUSE_SECONDS * attempt))  # noqa: S311
            continue
        return booking
    raise AssertionError("unreachable")  # pragma: no cover - the loop returns or raises


def _sqlstate(error: DBAPIError) -> str | None:
    driver_error: Any = error.orig.__cause__ if error.orig is not None else None
    return getattr(driver_error, "sqlstate", None)


def _constraint(error: IntegrityError) -> str | None:
    # SQLAlchemy's asyncpg adapter keeps the driver's exception as the cause.
    driver_error: Any = error.orig.__cause__ if error.orig is not None else None
    return getattr(driver_error, "constraint_name", None)


async def need_is_booked(session: AsyncSession, need_id: uuid.UUID) -> bool:
    query = select(Booking.id).where(
        Booking.need_id == need_id, Booking.status == BookingStatus.CONFIRMED
    )
    return (await session.exec(query.limit(1))).first() is not None


async def get_for_update(session: AsyncSession, booking_id: uuid.UUID) -> Booking | None:
    # populate_existing: the row as it is once locked, not as an earlier read left it.
    return await session.get(Booking, booking_id, with_for_update=True, populate_existing=True)


async def rows(
    session: AsyncSession,
    *,
    sites: Collection[str] | None,
    site: str | None = None,
    case_id: uuid.UUID | None = None,
    booking_id: uuid.UUID | None = None,
    limit: int = 100,
) -> Sequence[BookingRow]:
    """Bookings with what a person reads: the resource's (or slot's) name and the staff.
    `sites=None` means every site."""
    query = (
        select(
            Booking,
            func.coalesce(Resource.name, CounsellingSlot.location),
            col(Staff.name),
        )
        .outerjoin(Resource, col(Resource.id) == col(Booking.resource_id))
        .outerjoin(CounsellingSlot, col(CounsellingSlot.id) == col(Booking.slot_id))
        .outerjoin(Staff, col(Staff.id) == col(CounsellingSlot.staff_id))
        .order_by(col(Booking.starts_at), col(Booking.id))
        .limit(limit)
    )
    if sites is not None:
        query = query.where(col(Booking.site).in_(sites))
    if site is not None:
        query = query.where(Booking.site == site)
    if case_id is not None:
        query = query.where(Booking.case_id == case_id)
    if booking_id is not None:
        query = query.where(Booking.id == booking_id)
    return (await session.exec(query)).all()


async def get(session: AsyncSession, booking_id: uuid.UUID) -> Booking | None:
    """Without a lock: to learn which pools to lock before the booking itself."""
    return await session.get(Booking, booking_id)


async def taking_of_need(session: AsyncSession, need_id: uuid.UUID) -> Sequence[Booking]:
    """A need's bookings that take a place (confirmed or held), earliest first."""
    query = select(Booking).where(
        Booking.need_id == need_id, col(Booking.status).in_([s.value for s in TAKING])
    )
    return (await session.exec(query.order_by(col(Booking.starts_at)))).all()


async def of_need(session: AsyncSession, need_id: uuid.UUID) -> Sequence[Booking]:
    """Every booking of a need, whatever its status, in order of creation."""
    query = select(Booking).where(Booking.need_id == need_id)
    return (await session.exec(query.order_by(col(Booking.created_at)))).all()
