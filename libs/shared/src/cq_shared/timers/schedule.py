"""Scheduling and cancelling timers, inside the caller's transaction."""

import json
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.timers.model import NOTIFY_CHANNEL

# One round trip. A timer with the same key is replaced: new kind, site, time and payload,
# and a fresh count of attempts (also for a timer that had failed for good). If the runner is
# firing the old one right now, this waits for it: a fired (deleted) timer is then inserted
# anew, so the reschedule is never lost. The notification wakes sleeping runners only if the
# transaction commits; several in one transaction fold into one.
_SCHEDULE = text(
    """
    WITH woken AS MATERIALIZED (SELECT pg_notify(:channel, ''))
    INSERT INTO timers (key, kind, site, at, payload, attempt)
    SELECT :key, :kind, :site, CAST(:at AS timestamptz), CAST(:payload AS jsonb), 1 FROM woken
    ON CONFLICT (key) DO UPDATE
    SET kind = EXCLUDED.kind, site = EXCLUDED.site, at = EXCLUDED.at,
        payload = EXCLUDED.payload, attempt = 1, failed_at = NULL,
        created_at = clock_timestamp()
    """
)
# The same, but a timer that exists already is kept as it is: for a process that makes sure
# at start-up that a recurring timer exists without moving it.
_SCHEDULE_IF_ABSENT = text(
    """
    WITH woken AS MATERIALIZED (SELECT pg_notify(:channel, ''))
    INSERT INTO timers (key, kind, site, at, payload, attempt)
    SELECT :key, :kind, :site, CAST(:at AS timestamptz), CAST(:payload AS jsonb), 1 FROM woken
    ON CONFLICT (key) DO NOTHING
    """
)
_CANCEL = text("DELETE FROM timers WHERE key = :key RETURNING id")


async def schedule_timer(
    session: AsyncSession,
    *,
    key: str,
    kind: str,
    at: datetime,
    payload: Mapping[str, Any],
    site: str,
    if_absent: bool = False,
) -> None:
    """Fire the handler of `kind` at `at` (or soon after), once, even across restarts.

    Runs in the caller's transaction: nothing is scheduled unless it commits. `key` names the
    timer (e.g. f"hold-expiry:{booking_id}"): scheduling it again reschedules it, and
    `cancel_timer` cancels it. `payload` is JSON and carries ids, never personal data (names,
    addresses, health details): erasure must not have to search timers, and the row is read
    by operators when a timer fails.

    `if_absent=True` leaves a timer that exists under `key` (pending or failed) unchanged.
    """
    if at.tzinfo is None:
        raise ValueError("a timer's time must be timezone-aware")
    await session.execute(
        _SCHEDULE_IF_ABSENT if if_absent else _SCHEDULE,
        {
            "channel": NOTIFY_CHANNEL,
            "key": key,
            "kind": kind,
            "site": site,
            "at": at,
            "payload": json.dumps(dict(payload)),
        },
    )


async def cancel_timer(session: AsyncSession, key: str) -> bool:
    """Delete the timer `key` in the caller's transaction; True if there was one (pending or
    failed). A timer that has already fired is gone, and cancelling it returns False."""
    result = await session.execute(_CANCEL, {"key": key})
    return result.first() is not None
