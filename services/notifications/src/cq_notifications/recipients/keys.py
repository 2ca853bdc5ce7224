"""Case keys and the registrations waiting for theirs: all their SQL, in set-wise statements.

See docs/decisions/0012: contact points travel sealed with a per-case key; the key arrives on
`intake.case-keys`, the sealed registration on `intake.cases`, in either order."""

import base64
import uuid
from collections.abc import Sequence
from datetime import datetime

from pydantic import TypeAdapter
from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.contracts.intake import (
    CaseKeyIssued,
    Recipient,
    RecipientsRegistered,
    RecipientsRegisteredV2,
)
from cq_shared.crypto import open_sealed

_RECIPIENTS = TypeAdapter(list[Recipient])

# A destroyed key is never revived by a late or re-driven issue of it.
_STORE = text(
    "INSERT INTO case_keys (case_id, key) "
    "SELECT * FROM unnest(CAST(:case_ids AS uuid[]), CAST(:keys AS bytea[])) "
    "ON CONFLICT (case_id) DO NOTHING"
)
_DESTROY = text(
    "INSERT INTO case_keys (case_id, key, destroyed_at) "
    "SELECT case_id, NULL, :at FROM unnest(CAST(:case_ids AS uuid[])) AS ids(case_id) "
    "ON CONFLICT (case_id) DO UPDATE SET key = NULL, "
    "destroyed_at = coalesce(case_keys.destroyed_at, EXCLUDED.destroyed_at)"
)
_KEYS_OF = text("SELECT case_id, key FROM case_keys WHERE case_id = ANY(CAST(:case_ids AS uuid[]))")
_PARK = text(
    "INSERT INTO sealed_registrations (case_id, site, sealed_recipients, received_at) "
    "SELECT *, CAST(:at AS timestamptz) FROM unnest("
    "CAST(:case_ids AS uuid[]), CAST(:sites AS text[]), CAST(:sealed AS text[])) "
    "ON CONFLICT (case_id) DO UPDATE SET sealed_recipients = EXCLUDED.sealed_recipients"
)
_TAKE = text(
    "DELETE FROM sealed_registrations WHERE case_id = ANY(CAST(:case_ids AS uuid[])) "
    "RETURNING case_id, site, sealed_recipients"
)


async def store(session: AsyncSession, issued: Sequence[CaseKeyIssued]) -> None:
    await session.execute(
        _STORE,
        {
            "case_ids": [each.case_id for each in issued],
            "keys": [base64.b64decode(each.key) for each in issued],
        },
    )


async def destroy(session: AsyncSession, case_ids: Sequence[uuid.UUID], at: datetime) -> None:
    await session.execute(_DESTROY, {"case_ids": list(case_ids), "at": at})


async def keys_of(
    session: AsyncSession, case_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, bytes | None]:
    """Known cases only: a key, or None where it was destroyed (the case is erased)."""
    rows = (await session.execute(_KEYS_OF, {"case_ids": list(case_ids)})).all()
    return {row[0]: row[1] for row in rows}


async def park(
    session: AsyncSession, registrations: Sequence[RecipientsRegisteredV2], at: datetime
) -> None:
    await session.execute(
        _PARK,
        {
            "case_ids": [each.case_id for each in registrations],
            "sites": [each.site for each in registrations],
            "sealed": [each.sealed_recipients for each in registrations],
            "at": at,
        },
    )


async def take_parked(
    session: AsyncSession, case_ids: Sequence[uuid.UUID]
) -> list[RecipientsRegisteredV2]:
    rows = (await session.execute(_TAKE, {"case_ids": list(case_ids)})).all()
    return [
        RecipientsRegisteredV2(case_id=row[0], site=row[1], sealed_recipients=row[2])
        for row in rows
    ]


def opened(registration: RecipientsRegisteredV2, key: bytes) -> RecipientsRegistered:
    """The registration with its contact points readable (held in memory only)."""
    plain = open_sealed(key, registration.case_id, registration.sealed_recipients)
    return RecipientsRegistered(
        case_id=registration.case_id,
        site=registration.site,
        recipients=_RECIPIENTS.validate_json(plain),
    )
