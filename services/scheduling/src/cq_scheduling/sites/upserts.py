"""Idempotent writes of site data (demo data, configuration): running them twice changes
nothing, and concurrent start-ups of several processes do not collide."""

from collections.abc import Sequence

from sqlalchemy.dialects.postgresql import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.sites.models import CounsellingSlot, Resource, Staff
from cq_scheduling.waitlist.models import WaitlistPolicy, WaitlistPriority


async def upsert_resources(session: AsyncSession, rows: Sequence[Resource]) -> None:
    if not rows:
        return
    statement = insert(Resource).values([row.model_dump() for row in rows])
    await session.exec(
        statement.on_conflict_do_update(
            index_elements=["id"],
            set_={"type": statement.excluded.type, "name": statement.excluded.name},
        )
    )


async def upsert_staff(session: AsyncSession, rows: Sequence[Staff]) -> None:
    if not rows:
        return
    statement = insert(Staff).values([row.model_dump() for row in rows])
    await session.exec(
        statement.on_conflict_do_update(
            index_elements=["id"],
            set_={
                "name": statement.excluded.name,
                "role": statement.excluded.role,
                "skills": statement.excluded.skills,
                "languages": statement.excluded.languages,
            },
        )
    )


async def add_slots(session: AsyncSession, rows: Sequence[CounsellingSlot]) -> None:
    """New slots only: an existing slot (maybe booked) is left exactly as it is."""
    if not rows:
        return
    statement = insert(CounsellingSlot).values([row.model_dump() for row in rows])
    await session.exec(statement.on_conflict_do_nothing(index_elements=["staff_id", "starts_at"]))


async def upsert_policies(session: AsyncSession, rows: Sequence[WaitlistPolicy]) -> None:
    """A site's waiting-list settings as the file says now (a type dropped from the file
    keeps its row: dropping a waiting list is a decision about the people on it)."""
    if not rows:
        return
    statement = insert(WaitlistPolicy).values([row.model_dump() for row in rows])
    await session.exec(
        statement.on_conflict_do_update(
            index_elements=["site", "resource_type"],
            set_={
                "promotion": statement.excluded.promotion,
                "hold_hours": statement.excluded.hold_hours,
            },
        )
    )


async def upsert_priority(session: AsyncSession, row: WaitlistPriority) -> None:
    """The site's waiting-list order as the file says now (its default too: the file is the
    whole truth about the rule). Entries keep the rank they got on arrival."""
    statement = insert(WaitlistPriority).values([row.model_dump()])
    await session.exec(
        statement.on_conflict_do_update(
            index_elements=["site"], set_={"priority": statement.excluded.priority}
        )
    )
