"""The per-case lock between a case's registration (and erasure) and the handlers that need
its recipients.

A handler about to park news for want of recipients takes it shared (handlers of one case do
not wait for each other); the registration and the erasure take it exclusively. So a
registration sees every parked event committed before it, and a handler after it sees the
recipients: nothing is parked after its release.
"""

import uuid
from collections.abc import Iterable

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession


def _lock_key(case_id: uuid.UUID) -> str:
    return f"notifications.recipients:{case_id}"


_LOCK_MANY = text(
    "SELECT pg_advisory_xact_lock(hashtextextended(key, 0)) "
    "FROM unnest(CAST(:keys AS text[])) WITH ORDINALITY AS keys(key, position) ORDER BY position"
)
_LOCK_MANY_SHARED = text(
    "SELECT pg_advisory_xact_lock_shared(hashtextextended(key, 0)) "
    "FROM unnest(CAST(:keys AS text[])) WITH ORDINALITY AS keys(key, position) ORDER BY position"
)


async def lock_cases(session: AsyncSession, case_ids: Iterable[uuid.UUID], *, shared: bool) -> None:
    """The cases' locks, held until the transaction ends; one round trip, in sorted order (two
    calls locking overlapping sets queue rather than deadlock; row locks taken elsewhere can
    still deadlock with them, which the inbox resolves by applying the batch one by one)."""
    keys = sorted(_lock_key(case_id) for case_id in set(case_ids))
    if keys:
        await session.execute(_LOCK_MANY_SHARED if shared else _LOCK_MANY, {"keys": keys})
