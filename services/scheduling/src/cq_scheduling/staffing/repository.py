"""All SQL of the staffing area. Never commits: the caller owns the transaction.

Every change that proposes, takes or frees work at a site runs under the site's staffing lock
(`lock_site`): proposals of one site are made one after the other, each seeing the shifts,
absences and open offers of those before it. Lock order, everywhere: the site, then rows."""

import uuid
from collections import defaultdict
from collections.abc import Collection, Sequence
from datetime import datetime, timedelta

from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.staffing.candidates import Person, Worked
from cq_scheduling.staffing.models import (
    Absence,
    OfferStatus,
    Shift,
    ShiftGap,
    ShiftOffer,
    ShiftStatus,
    StaffingRules,
    StaffMember,
)
from cq_scheduling.staffing.rules import Period

# An advisory lock rather than a row lock: a site need not have a rules row, and the lock
# guards rows of five tables. Keyed in a namespace of its own (the first argument).
_STAFFING_LOCKS = 19
_LOCK = text("SELECT pg_advisory_xact_lock(:space, hashtext(:site))")


async def lock_site(session: AsyncSession, site: str) -> None:
    await session.execute(_LOCK, {"space": _STAFFING_LOCKS, "site": site})


async def rules_row(session: AsyncSession, site: str) -> StaffingRules | None:
    return await session.get(StaffingRules, site)


async def member(session: AsyncSession, staff_id: uuid.UUID) -> StaffMember | None:
    return await session.get(StaffMember, staff_id)


async def offer_for_update(session: AsyncSession, offer_id: uuid.UUID) -> ShiftOffer | None:
    found = await session.exec(
        select(ShiftOffer).where(ShiftOffer.id == offer_id).with_for_update()
    )
    return found.first()


async def offer_owner(session: AsyncSession, offer_id: uuid.UUID) -> tuple[str, uuid.UUID] | None:
    """The offer's site and person, without a lock."""
    found = await session.exec(
        select(ShiftOffer.site, ShiftOffer.staff_id).where(ShiftOffer.id == offer_id)
    )
    row = found.first()
    return None if row is None else (row[0], row[1])


async def gap_and_shift(session: AsyncSession, gap_id: uuid.UUID) -> tuple[ShiftGap, Shift]:
    found = await session.exec(
        select(ShiftGap, Shift)
        .join(Shift, col(Shift.id) == ShiftGap.shift_id)
        .where(ShiftGap.id == gap_id)
    )
    gap, shift = found.one()
    return gap, shift


async def gaps_and_shifts(
    session: AsyncSession, gap_ids: Collection[uuid.UUID]
) -> list[tuple[ShiftGap, Shift]]:
    found = await session.exec(
        select(ShiftGap, Shift)
        .join(Shift, col(Shift.id) == ShiftGap.shift_id)
        .where(col(ShiftGap.id).in_(gap_ids))
        .order_by(col(Shift.starts_at), col(ShiftGap.id))
    )
    return [(gap, shift) for gap, shift in found.all()]


async def offers_made(
    session: AsyncSession, gap_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, frozenset[uuid.UUID]]:
    """Who was offered each gap before (declined, expired or open): not asked again."""
    found = await session.exec(
        select(ShiftOffer.gap_id, ShiftOffer.staff_id).where(col(ShiftOffer.gap_id).in_(gap_ids))
    )
    made: dict[uuid.UUID, set[uuid.UUID]] = defaultdict(set)
    for gap_id, staff_id in found.all():
        made[gap_id].add(staff_id)
    return {gap_id: frozenset(staff) for gap_id, staff in made.items()}


async def people(
    session: AsyncSession,
    site: str,
    window: Period,
    *,
    only: uuid.UUID | None = None,
    except_offer: uuid.UUID | None = None,
) -> list[Person]:
    """The site's staff members with their work (assigned shifts and open offers, which
    count as tentative shifts) and absences within `window`. `only`: that member alone;
    `except_offer`: leave that open offer out (an accept checks the offer against the rest)."""
    members_query = select(StaffMember).where(StaffMember.site == site)
    if only is not None:
        members_query = members_query.where(StaffMember.id == only)
    members = (await session.exec(members_query)).all()
    ids = [m.id for m in members]
    worked: dict[uuid.UUID, list[Worked]] = defaultdict(list)
    shifts = await session.exec(
        select(Shift).where(
            col(Shift.staff_id).in_(ids),
            Shift.status == ShiftStatus.ASSIGNED,
            col(Shift.ends_at) > window.start,
            col(Shift.starts_at) < window.end,
        )
    )
    for shift in shifts.all():
        assert shift.staff_id is not None  # ck_shifts_assigned
        worked[shift.staff_id].append(Worked(shift.unit, Period(shift.starts_at, shift.ends_at)))
    offers_query = (
        select(ShiftOffer, Shift.unit)
        .join(ShiftGap, col(ShiftGap.id) == ShiftOffer.gap_id)
        .join(Shift, col(Shift.id) == ShiftGap.shift_id)
        .where(
            col(ShiftOffer.staff_id).in_(ids),
            ShiftOffer.status == OfferStatus.OFFERED,
            col(ShiftOffer.ends_at) > window.start,
            col(ShiftOffer.starts_at) < window.end,
        )
    )
    if except_offer is not None:
        offers_query = offers_query.where(col(ShiftOffer.id) != except_offer)
    offers = await session.exec(offers_query)
    for offer, unit in offers.all():
        worked[offer.staff_id].append(Worked(unit, Period(offer.starts_at, offer.ends_at)))
    absent: dict[uuid.UUID, list[Period]] = defaultdict(list)
    absences = await session.exec(
        select(Absence).where(
            col(Absence.staff_id).in_(ids),
            col(Absence.ends_at) > window.start,
            col(Absence.starts_at) < window.end,
        )
    )
    for absence in absences.all():
        absent[absence.staff_id].append(Period(absence.starts_at, absence.ends_at))
    return [
        Person(
            staff_id=m.id,
            unit=m.unit,
            pool=frozenset(m.pool),
            qualification=m.qualification,
            contracted_hours_per_week=m.contracted_hours_per_week,
            worked=tuple(worked[m.id]),
            absences=tuple(absent[m.id]),
        )
        for m in members
    ]


async def absence_overlapping(session: AsyncSession, staff_id: uuid.UUID, period: Period) -> bool:
    found = await session.exec(
        select(Absence.id).where(
            Absence.staff_id == staff_id,
            col(Absence.ends_at) > period.start,
            col(Absence.starts_at) < period.end,
        )
    )
    return found.first() is not None


async def open_offers_within(
    session: AsyncSession, staff_id: uuid.UUID, period: Period
) -> list[ShiftOffer]:
    """The person's open offers whose shift overlaps `period` (their absence), locked."""
    found = await session.exec(
        select(ShiftOffer)
        .where(
            ShiftOffer.staff_id == staff_id,
            ShiftOffer.status == OfferStatus.OFFERED,
            col(ShiftOffer.ends_at) > period.start,
            col(ShiftOffer.starts_at) < period.end,
        )
        .order_by(col(ShiftOffer.starts_at))
        .with_for_update()
    )
    return list(found.all())


async def shifts_to_uncover(
    session: AsyncSession, staff_id: uuid.UUID, period: Period, now: datetime
) -> list[Shift]:
    """The person's assigned shifts within the absence that have not ended yet."""
    found = await session.exec(
        select(Shift)
        .where(
            Shift.staff_id == staff_id,
            Shift.status == ShiftStatus.ASSIGNED,
            col(Shift.ends_at) > max(period.start, now),
            col(Shift.starts_at) < period.end,
        )
        .order_by(col(Shift.starts_at))
        .with_for_update()
    )
    return list(found.all())


async def shifts(
    session: AsyncSession,
    site: str,
    period: Period,
    *,
    unit: str | None,
    staff_id: uuid.UUID | None,
    limit: int,
) -> Sequence[Shift]:
    query = select(Shift).where(
        Shift.site == site, col(Shift.ends_at) > period.start, col(Shift.starts_at) < period.end
    )
    if unit is not None:
        query = query.where(Shift.unit == unit)
    if staff_id is not None:
        query = query.where(Shift.staff_id == staff_id)
    found = await session.exec(query.order_by(col(Shift.starts_at), col(Shift.id)).limit(limit))
    return found.all()


async def gaps(
    session: AsyncSession, site: str, status: str | None, limit: int
) -> Sequence[ShiftGap]:
    query = select(ShiftGap).where(ShiftGap.site == site)
    if status is not None:
        query = query.where(ShiftGap.status == status)
    found = await session.exec(
        query.order_by(col(ShiftGap.opened_at), col(ShiftGap.id)).limit(limit)
    )
    return found.all()


def planning_window(periods: Sequence[Period], max_consecutive_days: int) -> Period:
    """What a proposal must see: the months of the gaps (fairness), 28 days back
    (continuity) and a run of working days either side (consecutive days)."""
    start = min(p.start for p in periods)
    end = max(p.end for p in periods)
    days = timedelta(days=max(max_consecutive_days + 1, 32))
    return Period(start - days, end + days)
