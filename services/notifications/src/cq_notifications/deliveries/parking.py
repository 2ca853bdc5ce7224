"""Events for a case whose recipients are not known yet: parked, then released into
deliveries once intake's registration arrives.

Both sides serialise on a per-case advisory lock: a handler about to park takes it shared
(handlers of one case do not wait for each other), the registration and the erasure take it
exclusively. So a registration sees every parked event committed before it, and a handler
after it sees the recipients: nothing is parked after its release.
"""

import logging
import uuid
from typing import Any, NamedTuple

from sqlalchemy import delete, text
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries.models import ParkedEvent
from cq_notifications.deliveries.refs import EventRef
from cq_shared.clock import Clock
from cq_shared.events.payload import EventPayload

log = logging.getLogger(__name__)

_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")
_LOCK_SHARED = text("SELECT pg_advisory_xact_lock_shared(hashtextextended(:key, 0))")


def _lock_key(case_id: uuid.UUID) -> str:
    return f"notifications.recipients:{case_id}"


async def lock_case(session: AsyncSession, case_id: uuid.UUID, *, shared: bool) -> None:
    """Held until the transaction ends."""
    await session.execute(_LOCK_SHARED if shared else _LOCK, {"key": _lock_key(case_id)})


async def park(
    session: AsyncSession,
    event: EventRef,
    payload: EventPayload,
    *,
    case_id: uuid.UUID,
    site: str,
    clock: Clock,
) -> None:
    statement = (
        insert(ParkedEvent)
        .values(
            case_id=case_id,
            event_source=event.source,
            event_id=event.id,
            event_type=event.type,
            site=site,
            data=payload.model_dump(mode="json"),
            parked_at=clock.now(),
        )
        .on_conflict_do_nothing()
    )
    await session.execute(statement)
    log.info("parked %s until the case's recipients are known", event.type)


class Parked(NamedTuple):
    event_source: str
    event_id: str
    event_type: str
    site: str
    data: dict[str, Any]


_PARKED_FOR = text(
    "SELECT event_source, event_id, event_type, site, data FROM parked_events "
    "WHERE case_id = :case_id ORDER BY parked_at, event_id"
).columns(data=JSONB)


async def parked_for(session: AsyncSession, case_id: uuid.UUID) -> list[Parked]:
    """In the order they were parked (their order of arrival)."""
    rows = (await session.execute(_PARKED_FOR, {"case_id": case_id})).all()
    return [Parked(*row) for row in rows]


async def forget_parked(session: AsyncSession, case_id: uuid.UUID) -> None:
    await session.execute(delete(ParkedEvent).where(col(ParkedEvent.case_id) == case_id))
