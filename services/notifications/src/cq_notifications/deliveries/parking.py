"""Events for a case whose recipients are not known yet: parked, then released into
deliveries once intake's registration arrives.

Both sides serialise on a per-case advisory lock: a handler about to park takes it shared
(handlers of one case do not wait for each other), the registration and the erasure take it
exclusively. So a registration sees every parked event committed before it, and a handler
after it sees the recipients: nothing is parked after its release.
"""

import logging
import uuid
from collections.abc import Sequence

from sqlalchemy import delete, text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
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


async def parked_for(session: AsyncSession, case_id: uuid.UUID) -> Sequence[ParkedEvent]:
    """In the order they were parked (their order of arrival)."""
    statement = (
        select(ParkedEvent)
        .where(ParkedEvent.case_id == case_id)
        .order_by(col(ParkedEvent.parked_at), col(ParkedEvent.event_id))
    )
    return (await session.exec(statement)).all()


async def forget_parked(session: AsyncSession, case_id: uuid.UUID) -> None:
    await session.execute(delete(ParkedEvent).where(col(ParkedEvent.case_id) == case_id))
