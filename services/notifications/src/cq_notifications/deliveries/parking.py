"""Events for a case whose recipients are not known yet: parked, then released into
deliveries once intake's registration arrives.

Parking and releasing serialise on the per-case lock of recipients/locks.py: the handler
that parks takes it shared, the registration (and the erasure) exclusively.
"""

import logging
import uuid
from collections.abc import Sequence
from typing import Any, NamedTuple

from sqlalchemy import delete, text, tuple_
from sqlalchemy.dialects.postgresql import JSONB, insert
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries.models import ParkedEvent
from cq_notifications.deliveries.refs import EventRef
from cq_shared.clock import Clock
from cq_shared.contracts.common import CaseEvent
from cq_shared.db.tables import table_of

log = logging.getLogger(__name__)

_parked = table_of(ParkedEvent)


class Parked(NamedTuple):
    event_source: str
    event_id: str
    event_type: str
    site: str
    data: dict[str, Any]


async def park_many(
    session: AsyncSession, items: Sequence[tuple[EventRef, CaseEvent]], *, clock: Clock
) -> None:
    """Park the events (each item's payload names its case and site)."""
    now = clock.now()
    rows = [
        {
            "case_id": payload.case_id,
            "event_source": event.source,
            "event_id": event.id,
            "event_type": event.type,
            "site": payload.site,
            "data": payload.model_dump(mode="json"),
            "parked_at": now,
        }
        for event, payload in items
    ]
    await session.execute(insert(_parked).on_conflict_do_nothing(), rows)
    log.info("parked %s events until their cases' recipients are known", len(rows))


_PARKED_FOR_CASES = text(
    "SELECT case_id, event_source, event_id, event_type, site, data FROM parked_events "
    "WHERE case_id = ANY(CAST(:case_ids AS uuid[])) ORDER BY parked_at, event_id"
).columns(data=JSONB)


async def parked_for_cases(
    session: AsyncSession, case_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[Parked]]:
    """The cases' parked events in the order they were parked (their order of arrival); only
    cases with parked events are in the result."""
    rows = (await session.execute(_PARKED_FOR_CASES, {"case_ids": list(case_ids)})).all()
    found: dict[uuid.UUID, list[Parked]] = {}
    for row in rows:
        found.setdefault(row[0], []).append(Parked(*row[1:]))
    return found


async def forget_parked(
    session: AsyncSession, case_id: uuid.UUID, rows: Sequence[Parked] | None = None
) -> None:
    """The case's parked events, or only `rows` of them."""
    statement = delete(_parked).where(_parked.c.case_id == case_id)
    if rows is not None:
        if not rows:
            return
        statement = statement.where(
            tuple_(_parked.c.event_source, _parked.c.event_id).in_(
                [(row.event_source, row.event_id) for row in rows]
            )
        )
    await session.execute(statement)
