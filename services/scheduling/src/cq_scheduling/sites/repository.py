"""All SQL about a site's inventory. Never commits: the caller owns the transaction."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.sites.models import (
    COUNSELLING_SKILL,
    CounsellingSlot,
    Resource,
    SlotStatus,
    Staff,
)


async def resources(
    session: AsyncSession, site: str, resource_type: str | None = None
) -> Sequence[Resource]:
    query = select(Resource).where(Resource.site == site)
    if resource_type is not None:
        query = query.where(Resource.type == resource_type)
    return (await session.exec(query.order_by(col(Resource.name)))).all()


async def resource(session: AsyncSession, resource_id: uuid.UUID) -> Resource | None:
    return await session.get(Resource, resource_id)


async def staff(session: AsyncSession, site: str) -> Sequence[Staff]:
    query = select(Staff).where(Staff.site == site).order_by(col(Staff.name))
    return (await session.exec(query)).all()


async def counsellors(
    session: AsyncSession, site: str, language: str | None = None
) -> Sequence[Staff]:
    query = select(Staff).where(Staff.site == site, col(Staff.skills).contains([COUNSELLING_SKILL]))
    if language is not None:
        query = query.where(col(Staff.languages).contains([language]))
    return (await session.exec(query)).all()


async def free_slots(
    session: AsyncSession,
    site: str,
    *,
    start: datetime,
    end: datetime,
    language: str | None = None,
    limit: int = 500,
) -> Sequence[tuple[CounsellingSlot, Staff]]:
    query = (
        select(CounsellingSlot, Staff)
        .join(Staff, col(Staff.id) == col(CounsellingSlot.staff_id))
        .where(
            Staff.site == site,
            CounsellingSlot.status == SlotStatus.FREE,
            col(CounsellingSlot.starts_at) >= start,
            col(CounsellingSlot.starts_at) < end,
        )
        .order_by(col(CounsellingSlot.starts_at), col(Staff.name))
        .limit(limit)
    )
    if language is not None:
        query = query.where(col(Staff.languages).contains([language]))
    return (await session.exec(query)).all()


async def claim_first_free_slot(
    session: AsyncSession, site: str, language: str, not_before: datetime
) -> tuple[CounsellingSlot, Staff] | None:
    """Lock and mark booked the earliest free slot with a counsellor speaking `language`.

    SKIP LOCKED lets a concurrent transaction take the next slot instead of waiting; a slot
    another transaction booked and committed meanwhile fails the re-checked `status = 'free'`
    and is skipped too. The booking's unique index is the last line of defence.
    """
    query = (
        select(CounsellingSlot, Staff)
        .join(Staff, col(Staff.id) == col(CounsellingSlot.staff_id))
        .where(
            Staff.site == site,
            col(Staff.languages).contains([language]),
            CounsellingSlot.status == SlotStatus.FREE,
            col(CounsellingSlot.starts_at) >= not_before,
        )
        .order_by(col(CounsellingSlot.starts_at), col(Staff.name))
        .limit(1)
        .with_for_update(of=CounsellingSlot, skip_locked=True)
    )
    found = (await session.exec(query)).first()
    if found is None:
        return None
    slot, counsellor = found
    slot.status = SlotStatus.BOOKED
    session.add(slot)
    return slot, counsellor


async def release_slot(session: AsyncSession, slot_id: uuid.UUID) -> None:
    slot = await session.get(CounsellingSlot, slot_id, with_for_update=True)
    if slot is not None:
        slot.status = SlotStatus.FREE
        session.add(slot)
