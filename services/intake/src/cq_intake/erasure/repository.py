"""All SQL of erasure. Nothing here commits: the request or the message owns the transaction."""

import uuid
from datetime import datetime

from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_intake.cases.models import Case
from cq_intake.erasure.models import ErasureReceipt

# What erasure leaves of the person: the case (site, channel, urgency, status, times), the
# client's age band, care level and language, the needs' types and states. Names, birth date,
# postal code and contact points go, the contacts entirely, the needs' free-text notes too.
# The case's events leave intake's outbox as well: their rows held what the events carried.
_ERASE = [
    text(
        "UPDATE clients SET given_name = '', family_name = '', birth_date = NULL, "
        "postal_code = NULL, email = NULL, phone = NULL WHERE case_id = :case_id"
    ),
    text("DELETE FROM contacts WHERE case_id = :case_id"),
    # The key: every sealed copy of the person's contact points, wherever it is, goes dark.
    text("DELETE FROM case_keys WHERE case_id = :case_id"),
    text("UPDATE needs SET note = NULL WHERE case_id = :case_id"),
    text("DELETE FROM outbox WHERE subject = :subject"),
    text(
        "UPDATE cases SET erased_at = :at, updated_at = :at, consent_data_processing = false, "
        "consent_notify_contacts = false, consent_share_with_volunteers = false "
        "WHERE id = :case_id"
    ),
]


async def lock_case(session: AsyncSession, case_id: uuid.UUID) -> Case | None:
    """The case row, locked: two erasure requests at once erase (and announce) once."""
    statement = select(Case).where(Case.id == case_id).with_for_update()
    return (await session.exec(statement)).one_or_none()


async def erase_personal_data(session: AsyncSession, case_id: uuid.UUID, at: datetime) -> None:
    params = {"case_id": case_id, "subject": str(case_id), "at": at}
    for statement in _ERASE:
        await session.execute(statement, params)


async def add_receipt(
    session: AsyncSession, case_id: uuid.UUID, service: str, erased_at: datetime
) -> None:
    """Idempotent: a receipt delivered twice is recorded once (the first time counts)."""
    statement = (
        insert(ErasureReceipt)
        .values(case_id=case_id, service=service, erased_at=erased_at)
        .on_conflict_do_nothing()
    )
    await session.execute(statement)


async def receipts_of(session: AsyncSession, case_id: uuid.UUID) -> dict[str, datetime]:
    statement = select(ErasureReceipt).where(ErasureReceipt.case_id == case_id)
    return {row.service: row.erased_at for row in (await session.exec(statement)).all()}
