"""All SQL about staff contact points. Never commits: the inbox transaction does."""

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.staff.models import StaffContact, WaitingStaffNews
from cq_shared.contracts.staffing import StaffMemberRegistered
from cq_shared.db.tables import table_of

_contacts = table_of(StaffContact)
_waiting = table_of(WaitingStaffNews)


async def upsert(session: AsyncSession, registered: StaffMemberRegistered, now: datetime) -> None:
    """The member as told now: a change replaces what was kept (one statement)."""
    row = {
        "staff_id": registered.staff_id,
        "site": registered.site,
        "given_name": registered.given_name,
        "family_name": registered.family_name,
        "email": str(registered.email) if registered.email else None,
        "language": registered.language.value,
        "unit": registered.unit,
        "unit_lead": registered.unit_lead,
        "updated_at": now,
    }
    statement = insert(_contacts).values(row)
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=["staff_id"],
            set_={key: statement.excluded[key] for key in row if key != "staff_id"},
        )
    )


async def forget(session: AsyncSession, staff_id: uuid.UUID) -> None:
    await session.execute(delete(_contacts).where(_contacts.c.staff_id == staff_id))
    await session.execute(delete(_waiting).where(_waiting.c.staff_id == staff_id))


async def wait_for(
    session: AsyncSession,
    staff_ids: Collection[uuid.UUID],
    *,
    source: str,
    event_id: str,
    event_type: str,
    data: dict[str, Any],
    now: datetime,
) -> None:
    """Keep the event until each of `staff_ids` is registered (once per person and event)."""
    rows = [
        {
            "staff_id": staff_id,
            "event_source": source,
            "event_id": event_id,
            "event_type": event_type,
            "data": data,
            "waiting_since": now,
        }
        for staff_id in staff_ids
    ]
    if rows:
        await session.execute(insert(_waiting).on_conflict_do_nothing(), rows)


async def take_waiting(session: AsyncSession, staff_id: uuid.UUID) -> Sequence[WaitingStaffNews]:
    """The events waiting for this person, oldest first, removed from the waiting list."""
    found = await session.exec(
        select(WaitingStaffNews)
        .where(WaitingStaffNews.staff_id == staff_id)
        .order_by(col(WaitingStaffNews.waiting_since), col(WaitingStaffNews.event_id))
    )
    waiting = list(found.all())
    await session.execute(delete(_waiting).where(_waiting.c.staff_id == staff_id))
    return waiting


async def contacts(
    session: AsyncSession, staff_ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, StaffContact]:
    if not staff_ids:
        return {}
    found = await session.exec(
        select(StaffContact).where(col(StaffContact.staff_id).in_(list(staff_ids)))
    )
    return {contact.staff_id: contact for contact in found.all()}


async def unit_leads(session: AsyncSession, site: str, unit: str) -> Sequence[StaffContact]:
    found = await session.exec(
        select(StaffContact)
        .where(
            StaffContact.site == site,
            StaffContact.unit == unit,
            col(StaffContact.unit_lead).is_(True),
        )
        .order_by(col(StaffContact.staff_id))
    )
    return found.all()
