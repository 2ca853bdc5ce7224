"""All SQL about cases and their recipients. Never commits: the inbox transaction does.

Plain statements on the tables rather than ORM unit-of-work round trips: every event of
every journey passes through here, and the profile showed the ORM's per-statement work as
the service's largest cost."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple, cast

from sqlalchemy import Table, delete, insert, select, text, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.recipients.models import CaseRecipient, NotifiedCase

_cases = cast(Table, NotifiedCase.__table__)  # type: ignore[attr-defined]
_recipients = cast(Table, CaseRecipient.__table__)  # type: ignore[attr-defined]

# Creates the case's row if new and locks it in one round trip: ON CONFLICT DO UPDATE takes
# the same row lock as SELECT ... FOR UPDATE, and RETURNING hands back the row as it is.
_CASE_FOR_UPDATE = text(
    """
    INSERT INTO cases (case_id, site) VALUES (:case_id, :site)
    ON CONFLICT (case_id) DO UPDATE SET case_id = EXCLUDED.case_id
    RETURNING site, recipients_registered_at, erased_at
    """
)
_CASE_FOR_SHARE = text(
    "SELECT site, recipients_registered_at, erased_at FROM cases WHERE case_id = :case_id FOR SHARE"
)


class CaseState(NamedTuple):
    site: str
    recipients_registered_at: datetime | None
    erased_at: datetime | None


async def case_for_update(session: AsyncSession, case_id: uuid.UUID, site: str) -> CaseState:
    """The case's row, created if new, locked against concurrent handlers of the case."""
    row = (await session.execute(_CASE_FOR_UPDATE, {"case_id": case_id, "site": site})).one()
    return CaseState(*row)


async def case_for_share(session: AsyncSession, case_id: uuid.UUID) -> CaseState | None:
    """The case's row if known, share-locked: an erasure (which updates it) waits until the
    caller's transaction ends, and then also sees the deliveries the caller inserted."""
    row = (await session.execute(_CASE_FOR_SHARE, {"case_id": case_id})).first()
    return CaseState(*row) if row is not None else None


async def mark_registered(session: AsyncSession, case_id: uuid.UUID, at: datetime) -> None:
    await session.execute(
        update(_cases).where(_cases.c.case_id == case_id).values(recipients_registered_at=at)
    )


async def mark_erased(session: AsyncSession, case_id: uuid.UUID, at: datetime) -> None:
    """Keeps the first erasure's time if the case was erased before."""
    await session.execute(
        update(_cases)
        .where(_cases.c.case_id == case_id, _cases.c.erased_at.is_(None))
        .values(erased_at=at)
    )


async def recipients_of(session: AsyncSession, case_id: uuid.UUID) -> Sequence[CaseRecipient]:
    statement = (
        select(CaseRecipient)
        .where(col(CaseRecipient.case_id) == case_id)
        .order_by(col(CaseRecipient.recipient_id))
    )
    return (await session.execute(statement)).scalars().all()


async def replace_recipients(
    session: AsyncSession, case_id: uuid.UUID, recipients: Sequence[CaseRecipient]
) -> None:
    """The latest registration is the whole truth: a recipient missing from it (e.g. a
    relative whose consent was withdrawn) must no longer be written to."""
    await delete_recipients(session, case_id)
    if recipients:
        rows = [
            {column.name: getattr(recipient, column.name) for column in _recipients.columns}
            for recipient in recipients
        ]
        await session.execute(insert(_recipients), rows)


async def delete_recipients(session: AsyncSession, case_id: uuid.UUID) -> None:
    await session.execute(delete(_recipients).where(_recipients.c.case_id == case_id))
