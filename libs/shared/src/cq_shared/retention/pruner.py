"""The retention pruner: deletes what the kernel's tables no longer need, in small batches.

- outbox: published rows whose `published_at` is older than the outbox period; rows not
  published yet are never touched, however old;
- inbox: rows whose `processed_at` is older than the inbox period (which outlives every
  possible redelivery, see `RetentionSettings`);
- timers: rows that failed for good (`failed_at`) longer ago than the failed-timers period;
  pending timers are never touched.

Each batch is one `DELETE` of at most `batch_size` rows in its own short transaction, found
through an index (`ix_outbox_published_at`, `ix_inbox_processed_at`, `ix_timers_failed_at`),
so a large backlog is worked off in many short transactions instead of one long lock. Each
batch first tries a transaction-scoped advisory lock: while one process of the database is
pruning, another skips its round (deletes are idempotent, so this only saves work). "Now" is
the service clock's.
"""

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Final

from sqlalchemy import TextClause, text

from cq_shared.clock import Clock, SystemClock
from cq_shared.db.database import Database
from cq_shared.retention import metrics
from cq_shared.retention.settings import RetentionSettings

log = logging.getLogger(__name__)

# Any 64-bit number; the same for every pruner of one database (the relay's is ...7001).
PRUNER_LOCK_ID: Final = 0x0C0A_0BB0_0E1A_7002

_TRY_LOCK = text("SELECT pg_try_advisory_xact_lock(:lock)")
# Rows locked by someone else (a failed timer being rescheduled) are skipped, not waited for.
_PRUNE_OUTBOX = text(
    """
    DELETE FROM outbox WHERE id IN (
        SELECT id FROM outbox
        WHERE published_at IS NOT NULL AND published_at < :cutoff
        ORDER BY published_at
        LIMIT :limit
        FOR UPDATE SKIP LOCKED
    )
    """
)
# The inbox's key is three strings: the row's physical address is the cheapest handle.
_PRUNE_INBOX = text(
    """
    DELETE FROM inbox WHERE ctid = ANY(ARRAY(
        SELECT ctid FROM inbox
        WHERE processed_at < :cutoff
        ORDER BY processed_at
        LIMIT :limit
        FOR UPDATE SKIP LOCKED
    ))
    """
)
_PRUNE_FAILED_TIMERS = text(
    """
    DELETE FROM timers WHERE id IN (
        SELECT id FROM timers
        WHERE failed_at IS NOT NULL AND failed_at < :cutoff
        ORDER BY failed_at
        LIMIT :limit
        FOR UPDATE SKIP LOCKED
    )
    """
)


@dataclass(frozen=True)
class Pruned:
    """Rows deleted by one round, per table."""

    outbox: int = 0
    inbox: int = 0
    timers: int = 0


class _BusyError(Exception):
    """Another pruner of this database holds the lock."""


class RetentionPruner:
    """Prunes one service database every `settings.interval_seconds`."""

    def __init__(
        self,
        database: Database,
        *,
        clock: Clock | None = None,
        settings: RetentionSettings | None = None,
    ) -> None:
        self.database = database
        self.clock = clock or SystemClock()
        self.settings = settings or RetentionSettings()

    async def run(self) -> None:
        """Prune after the first delay, then once per interval, until cancelled."""
        await asyncio.sleep(self.settings.first_delay_seconds)
        while True:
            pruned = await self.prune()
            if pruned is not None and (pruned.outbox or pruned.inbox or pruned.timers):
                log.info(
                    "retention pruned %s outbox, %s inbox and %s failed timer rows",
                    pruned.outbox,
                    pruned.inbox,
                    pruned.timers,
                )
            await asyncio.sleep(self.settings.interval_seconds)

    async def prune(self) -> Pruned | None:
        """One round: every table, batch after batch, until a batch comes back short.
        Returns None if another process of this database was pruning (its round does it)."""
        now = self.clock.now()
        try:
            return Pruned(
                outbox=await self._prune("outbox", _PRUNE_OUTBOX, now - self.settings.outbox),
                inbox=await self._prune("inbox", _PRUNE_INBOX, now - self.settings.inbox),
                timers=await self._prune(
                    "timers", _PRUNE_FAILED_TIMERS, now - self.settings.failed_timers
                ),
            )
        except _BusyError:
            return None

    async def _prune(self, table: str, statement: TextClause, cutoff: datetime) -> int:
        total = 0
        while True:
            deleted = await self._batch(statement, cutoff)
            metrics.pruned(table, deleted)
            total += deleted
            if deleted < self.settings.batch_size:
                return total

    async def _batch(self, statement: TextClause, cutoff: datetime) -> int:
        async with self.database.unit_of_work() as session:
            locked = (await session.execute(_TRY_LOCK, {"lock": PRUNER_LOCK_ID})).scalar_one()
            if not locked:
                raise _BusyError
            result = await session.execute(
                statement, {"cutoff": cutoff, "limit": self.settings.batch_size}
            )
            return int(result.rowcount)  # type: ignore[attr-defined]


__all__ = ["PRUNER_LOCK_ID", "Pruned", "RetentionPruner"]
