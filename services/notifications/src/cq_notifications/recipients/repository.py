"""All SQL about cases and their recipients. Never commits: the inbox transaction does.

Plain statements on the tables rather than ORM unit-of-work round trips: every event of
every journey passes through here, and the profile showed the ORM's per-statement work as
the service's largest cost."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import delete, insert, select, text, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.recipients.models import CaseRecipient, NotifiedCase
from cq_shared.db.tables import table_of

_cases = table_of(NotifiedCase)
_recipients = table_of(CaseRecipient)

# Creates the case's row if new and locks it in one round trip: ON CONFLICT DO UPDATE takes
# the same row lock as SELECT ... FOR UPDATE, and RETURNING hands back the row as it is.
_CASES_FOR_UPDATE = text(
    """
    INSERT INTO cases (case_id, site)
    SELECT * FROM unnest(CAST(:case_ids AS uuid[]), CAST(:sites AS text[]))
    ON CONFLICT (case_id) DO UPDATE SET case_id = EXCLUDED.case_id
    RETURNING case_id, site, recipients_registered_at, erased_at
    """
)
_CASES_FOR_SHARE = text(
    "SELECT case_id, site, recipients_registered_at, erased_at FROM cases "
    "WHERE case_id = ANY(CAST(:case_ids AS uuid[])) ORDER BY case_id FOR SHARE"
)
_CASES = text(
    "SELECT case_id, site, recipients_registered_at, erased_at FROM cases "
    "WHERE case_id = ANY(CAST(:case_ids AS uuid[]))"
)


class CaseState(NamedTuple):
    site: str
    recipients_registered_at: datetime | None
    erased_at: datetime | None


async def case_for_update(session: AsyncSession, case_id: uuid.UUID, site: str) -> CaseState:
    """The case's row, created if new, locked against concurrent handlers of the case."""
    return (await cases_for_update(session, {case_id: site}))[case_id]


async def cases_for_update(
    session: AsyncSession, sites: dict[uuid.UUID, str]
) -> dict[uuid.UUID, CaseState]:
    """`case_for_update` for many cases (case id -> site) in one round trip."""
    ordered = sorted(sites)
    params = {"case_ids": ordered, "sites": [sites[case_id] for case_id in ordered]}
    rows = (await session.execute(_CASES_FOR_UPDATE, params)).all()
    return {row[0]: CaseState(*row[1:]) for row in rows}


async def case_for_share(session: AsyncSession, case_id: uuid.UUID) -> CaseState | None:
    """The case's row if known, share-locked: an erasure (which updates it) waits until the
    caller's transaction ends, and then also sees the deliveries the caller inserted."""
    return (await cases_for_share(session, [case_id])).get(case_id)


async def cases_for_share(
    session: AsyncSession, case_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, CaseState]:
    """`case_for_share` for many cases in one round trip (locked in case id order)."""
    rows = (await session.execute(_CASES_FOR_SHARE, {"case_ids": list(case_ids)})).all()
    return {row[0]: CaseState(*row[1:]) for row in rows}


async def cases_unlocked(
    session: AsyncSession, case_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, CaseState]:
    """The cases' rows as committed, without a lock: to decide which locks to take first."""
    rows = (await session.execute(_CASES, {"case_ids": list(case_ids)})).all()
    return {row[0]: CaseState(*row[1:]) for row in rows}


async def recipients_of_cases(
    session: AsyncSession, case_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[CaseRecipient]]:
    statement = (
        select(CaseRecipient)
        .where(col(CaseRecipient.case_id).in_(list(case_ids)))
        .order_by(col(CaseRecipient.case_id), col(CaseRecipient.recipient_id))
    )
    found: dict[uuid.UUID, list[CaseRecipient]] = {case_id: [] for case_id in case_ids}
    for recipient in (await session.execute(statement)).scalars():
        found[recipient.case_id].append(recipient)
    return found


async def mark_registered_many(
    session: AsyncSession, case_ids: Sequence[uuid.UUID], at: datetime
) -> None:
    await session.execute(
        update(_cases)
        .where(_cases.c.case_id.in_(list(case_ids)))
        .values(recipients_registered_at=at)
    )


async def mark_erased(session: AsyncSession, case_id: uuid.UUID, at: datetime) -> None:
    """Keeps the first erasure's time if the case was erased before."""
    await session.execute(
        update(_cases)
        .where(_cases.c.case_id == case_id, _cases.c.erased_at.is_(None))
        .values(erased_at=at)
    )


async def replace_recipients_many(
    session: AsyncSession, recipients: dict[uuid.UUID, Sequence[CaseRecipient]]
) -> None:
    """`replace_recipients` for many cases: one delete, one insert."""
    await session.execute(delete(_recipients).where(_recipients.c.case_id.in_(list(recipients))))
    rows = [
        {column.name: getattr(recipient, column.name) for column in _recipients.columns}
        for people in recipients.values()
        for recipient in people
    ]
    if rows:
        await session.execute(insert(_recipients), rows)


async def delete_recipients(session: AsyncSession, case_id: uuid.UUID) -> None:
    await session.execute(delete(_recipients).where(_recipients.c.case_id == case_id))
