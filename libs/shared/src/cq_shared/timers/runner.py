"""The timer runner: fires due timers, each once, in the transaction that deletes it.

Due timers (`at <= clock.now()`, earliest first) are claimed in batches with `FOR UPDATE SKIP
LOCKED`, so replicas share them. A batch is claimed, handled and deleted in ONE transaction:
a crash before its commit leaves every timer of it in place (and its effects undone), a crash
after leaves none, so a timer fires once even across crashes. If a handler in a batch fails,
the batch is rolled back and its timers are fired one by one (as the inbox does with
events): a failing one is retried with backoff and finally marked failed, the others fire.

The runner sleeps until the next due time, at most `poll_seconds`, and wakes at once when a
transaction that scheduled a timer commits (LISTEN/NOTIFY).
"""

import logging
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from contextlib import AbstractContextManager
from datetime import timedelta
from typing import Any

from opentelemetry import trace
from sqlalchemy import Row, text
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.clock import Clock, SystemClock
from cq_shared.db.database import Database
from cq_shared.db.notify import listening
from cq_shared.messaging.outage import is_outage
from cq_shared.messaging.retry import PermanentError, RetryPolicy
from cq_shared.timers import metrics
from cq_shared.timers.model import NOTIFY_CHANNEL, Timer, TimerHandler
from cq_shared.timers.settings import TimerSettings

log = logging.getLogger(__name__)
tracer = trace.get_tracer("cq_shared.timers")

# When due timers exist but another runner holds them all: look again after this long
# instead of spinning.
BUSY_ELSEWHERE_SECONDS = 0.05

# Claim and complete in one statement: the rows are deleted now, inside the transaction
# that also runs their handlers; a rollback (or a crash) brings them back.
CLAIM_DUE = text(
    """
    DELETE FROM timers
    WHERE id IN (
        SELECT id FROM timers
        WHERE failed_at IS NULL AND at <= :now AND kind = ANY(CAST(:kinds AS text[]))
        ORDER BY at
        LIMIT :limit
        FOR UPDATE SKIP LOCKED
    )
    RETURNING id, key, kind, site, at, payload, attempt
    """
)
_CLAIM_ONE = text(
    """
    SELECT id, key, kind, site, at, payload, attempt, created_at FROM timers
    WHERE id = :id AND failed_at IS NULL AND at <= :now AND kind = ANY(CAST(:kinds AS text[]))
    FOR UPDATE SKIP LOCKED
    """
)
# Unless the handler rescheduled its own key: the upsert then rewrote this very row (and its
# created_at), and the new timer must stay.
_DELETE_ONE = text("DELETE FROM timers WHERE id = :id AND created_at = :created_at")
_RETRY_LATER = text("UPDATE timers SET attempt = attempt + 1, at = :at WHERE id = :id")
_MARK_FAILED = text("UPDATE timers SET failed_at = :now WHERE id = :id")
_FAIL_UNKNOWN_KINDS = text(
    """
    UPDATE timers SET failed_at = :now
    WHERE id IN (
        SELECT id FROM timers
        WHERE failed_at IS NULL AND at <= :now AND NOT (kind = ANY(CAST(:kinds AS text[])))
        FOR UPDATE SKIP LOCKED
    )
    RETURNING kind
    """
)
_NEXT_DUE = text("SELECT min(at) FROM timers WHERE failed_at IS NULL")
_DUE_BACKLOG = text("SELECT count(*), min(at) FROM timers WHERE failed_at IS NULL AND at <= :now")


class TimerRunner:
    """Fires the due timers of one service database with `handlers` (kind -> handler)."""

    def __init__(
        self,
        database: Database,
        handlers: Mapping[str, TimerHandler],
        *,
        clock: Clock | None = None,
        retry: RetryPolicy | None = None,
        settings: TimerSettings | None = None,
    ) -> None:
        self.database = database
        self.handlers = dict(handlers)
        self.clock = clock or SystemClock()
        self.retry = retry or RetryPolicy()
        self.settings = settings or TimerSettings()
        self._kinds = sorted(self.handlers)
        self._backlog_reported_at = 0.0

    async def run(self) -> None:
        """Fire timers until cancelled."""
        async with listening(self.database.url, NOTIFY_CHANNEL) as wakeup:
            log.info("timer runner started for kinds %s", ", ".join(self._kinds))
            while True:
                if time.monotonic() - self._backlog_reported_at >= (
                    self.settings.backlog_report_seconds
                ):
                    await self._report_backlog()
                    self._backlog_reported_at = time.monotonic()
                taken = await self.fire_due()
                if taken >= self.settings.batch_size:
                    continue  # more may be due: do not sleep
                await self.fail_unknown_kinds()
                delay = await self._seconds_until_next(taken)
                if delay > 0:
                    await wakeup.wait(delay)

    async def fire_due(self) -> int:
        """Fire at most one batch of due timers; return how many were taken (fired, or
        retried later, or failed)."""
        if not self._kinds:
            return 0
        rows: Sequence[Row[Any]] = ()
        fired: list[tuple[Timer, float]] = []
        failing: Timer | None = None  # the timer whose handler raised, if one did
        try:
            async with self.database.unit_of_work() as session:
                rows = (
                    await session.execute(
                        CLAIM_DUE,
                        {
                            "now": self.clock.now(),
                            "kinds": self._kinds,
                            "limit": self.settings.batch_size,
                        },
                    )
                ).all()
                # RETURNING keeps no order: fire in due order.
                for timer in sorted(map(_timer, rows), key=lambda t: t.at):
                    fired.append((timer, self._lateness(timer)))
                    failing = timer
                    with self._span(timer):
                        await self.handlers[timer.kind](session, timer)
                failing = None  # a failing commit is no single timer's fault
        except Exception as error:
            if is_outage(error) or not rows:
                raise  # nothing can be fired now; the supervisor restarts the runner
            log.info(
                "a batch of %s timers failed (%s); firing them one by one",
                len(rows),
                type(error).__name__,  # the type only: messages can quote data
            )
            for row in rows:
                if failing is not None and row.key == failing.key:
                    # This attempt has just failed: charge it instead of running it again.
                    await self.fire_one(row.id, failed_with=(failing, error))
                else:
                    await self.fire_one(row.id)
            return len(rows)
        _count_fired(fired)
        return len(rows)

    async def fire_one(
        self, timer_id: int, *, failed_with: tuple[Timer, Exception] | None = None
    ) -> None:
        """Fire one due timer in its own transaction. A failure rolls back the handler's
        work (to a savepoint; the row stays locked, so a concurrent reschedule waits) and
        reschedules the timer with backoff, or marks it failed after the last attempt.

        `failed_with`: this timer's attempt already failed (in a batch) with that error;
        record the failure without running the handler again, unless the timer has been
        rescheduled since."""
        async with self.database.unit_of_work() as session:
            row = (
                await session.execute(
                    _CLAIM_ONE, {"id": timer_id, "now": self.clock.now(), "kinds": self._kinds}
                )
            ).first()
            if row is None:
                return  # cancelled, rescheduled, or taken by another runner meanwhile
            timer = _timer(row)
            if failed_with is not None and failed_with[0] == timer:
                await self._failed(session, timer_id, timer, failed_with[1])
                return
            lateness = self._lateness(timer)
            try:
                async with session.begin_nested():
                    with self._span(timer):
                        await self.handlers[timer.kind](session, timer)
            except Exception as error:
                if is_outage(error):
                    raise
                await self._failed(session, timer_id, timer, error)
                return
            await session.execute(_DELETE_ONE, {"id": timer_id, "created_at": row.created_at})
        _count_fired([(timer, lateness)])

    async def fail_unknown_kinds(self) -> int:
        """Mark failed every due timer whose kind this service has no handler for (a typo,
        or a kind whose handler was removed); they are kept for an operator to look at."""
        async with self.database.unit_of_work() as session:
            kinds = (
                (
                    await session.execute(
                        _FAIL_UNKNOWN_KINDS, {"now": self.clock.now(), "kinds": self._kinds}
                    )
                )
                .scalars()
                .all()
            )
        for kind in kinds:
            log.warning("timer of unknown kind %s marked failed", kind)
            metrics.failed(kind, "unknown_kind")
        return len(kinds)

    async def _failed(
        self, session: AsyncSession, timer_id: int, timer: Timer, error: Exception
    ) -> None:
        permanent = isinstance(error, PermanentError)
        if permanent or timer.attempt >= self.retry.max_attempts:
            await session.execute(_MARK_FAILED, {"id": timer_id, "now": self.clock.now()})
            log.warning(
                "timer %s of kind %s failed %s times (%s), marked failed",
                timer.key,
                timer.kind,
                timer.attempt,
                type(error).__name__,  # the type only: messages can quote data
            )
            metrics.failed(timer.kind, "permanent" if permanent else "handler_failed")
            return
        delay = self.retry.delay_before(timer.attempt + 1)
        await session.execute(
            _RETRY_LATER, {"id": timer_id, "at": self.clock.now() + timedelta(seconds=delay)}
        )
        log.info(
            "timer %s of kind %s failed (attempt %s, %s); retrying in %.2fs",
            timer.key,
            timer.kind,
            timer.attempt,
            type(error).__name__,
            delay,
        )
        metrics.retried(timer.kind)

    async def _seconds_until_next(self, taken: int) -> float:
        async with self.database.unit_of_work() as session:
            next_at = (await session.execute(_NEXT_DUE)).scalar_one_or_none()
        if next_at is None:
            return self.settings.poll_seconds
        delay: float = (next_at - self.clock.now()).total_seconds()
        if delay <= 0:
            # Due, yet not taken: fire it now, unless another runner holds it.
            return 0.0 if taken else min(BUSY_ELSEWHERE_SECONDS, self.settings.poll_seconds)
        return min(delay, self.settings.poll_seconds)

    async def _report_backlog(self) -> None:
        now = self.clock.now()
        async with self.database.unit_of_work() as session:
            count, oldest = (await session.execute(_DUE_BACKLOG, {"now": now})).one()
        metrics.set_due_backlog(
            int(count), (now - oldest).total_seconds() if oldest is not None else 0.0
        )

    def _lateness(self, timer: Timer) -> float:
        return (self.clock.now() - timer.at).total_seconds()

    @staticmethod
    def _span(timer: Timer) -> AbstractContextManager[Any]:
        # No key and no payload: the kind and the attempt only.
        return tracer.start_as_current_span(
            f"timer {timer.kind}",
            record_exception=False,
            attributes={"timer.kind": timer.kind, "timer.attempt": timer.attempt},
        )


def _timer(row: Row[Any]) -> Timer:
    return Timer(
        key=row.key,
        kind=row.kind,
        at=row.at,
        payload=row.payload,
        site=row.site,
        attempt=row.attempt,
    )


def _count_fired(fired: list[tuple[Timer, float]]) -> None:
    for kind, n in Counter(timer.kind for timer, _ in fired).items():
        metrics.fired(kind, n)
    for _, lateness in fired:
        metrics.observe_lateness(lateness)
