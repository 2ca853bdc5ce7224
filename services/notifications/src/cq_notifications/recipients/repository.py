"""All SQL about cases and their recipients. Never commits: the inbox transaction does."""

import uuid
from collections.abc import Sequence

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.recipients.models import CaseRecipient, NotifiedCase


async def case_for_update(session: AsyncSession, case_id: uuid.UUID, site: str) -> NotifiedCase:
    """The case's row, created if new, locked against concurrent handlers of the case."""
    await session.exec(
        insert(NotifiedCase).values(case_id=case_id, site=site).on_conflict_do_nothing()
    )
    statement = select(NotifiedCase).where(NotifiedCase.case_id == case_id).with_for_update()
    return (await session.exec(statement)).one()


async def case_for_share(session: AsyncSession, case_id: uuid.UUID) -> NotifiedCase | None:
    """The case's row if known, share-locked: an erasure (which updates it) waits until the
    caller's transaction ends, and then also sees the deliveries the caller inserted."""
    statement = (
        select(NotifiedCase).where(NotifiedCase.case_id == case_id).with_for_update(read=True)
    )
    return (await session.exec(statement)).first()


async def recipients_of(session: AsyncSession, case_id: uuid.UUID) -> Sequence[CaseRecipient]:
    statement = (
        select(CaseRecipient)
        .where(CaseRecipient.case_id == case_id)
        .order_by(col(CaseRecipient.recipient_id))
    )
    return (await session.exec(statement)).all()


async def replace_recipients(
    session: AsyncSession, case_id: uuid.UUID, recipients: Sequence[CaseRecipient]
) -> None:
    """The latest registration is the whole truth: a recipient missing from it (e.g. a
    relative whose consent was withdrawn) must no longer be written to."""
    await delete_recipients(session, case_id)
    session.add_all(recipients)
    await session.flush()


async def delete_recipients(session: AsyncSession, case_id: uuid.UUID) -> None:
    await session.exec(delete(CaseRecipient).where(col(CaseRecipient.case_id) == case_id))
