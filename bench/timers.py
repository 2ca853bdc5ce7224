"""Durable timers: how fast a backlog of due timers fires, and how late a timer fires at a
light load.

Throughput: `count` timers all due, fired by `TimerRunner.fire_due` in batches (the default
100); each handler inserts one row, as a real handler writes its effect. The baseline, in the
same run and on the same tables, issues the very same statements by hand (the claiming
`DELETE … RETURNING` of one batch, then one INSERT per timer, one transaction per batch), so
the ratio is the cost of the runner itself (timer objects, spans, metrics), not of
PostgreSQL. `claim_only_per_s` deletes the rows with no effect at all: the ceiling. The same
runner with batches of one timer (`unbatched_per_s`) shows what batching buys.
"""

import asyncio
import contextlib
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import BigInteger, Column, MetaData, String, Table, text
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

from bench.figures import Section, latency_summary
from cq_shared.db.database import Database
from cq_shared.settings import DatabaseSettings
from cq_shared.timers import Timer, TimerRow, TimerRunner, TimerSettings, schedule_timer
from cq_shared.timers.runner import CLAIM_DUE

BATCH_SIZE = TimerSettings().batch_size
KIND = "bench.reminder"

bench_metadata = MetaData()
effects = Table(
    "bench_timer_effects",
    bench_metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=True),
    Column("key", String, nullable=False),
)
# The baseline claims with the runner's own statement (CLAIM_DUE) and writes this effect.
_EFFECT = text("INSERT INTO bench_timer_effects (key) VALUES (:key)")
# Filling is not measured: one statement for all the timers.
_FILL = text(
    """
    INSERT INTO timers (key, kind, site, at, payload)
    SELECT 'reminder-' || n, :kind, 'kaiserslautern',
           CAST(:now AS timestamptz) - n * interval '1 millisecond',
           jsonb_build_object('case_id', gen_random_uuid()::text)
    FROM generate_series(1, :count) AS n
    """
)


async def _prepared(url: str) -> Database:
    database = Database(DatabaseSettings(url=url, pool_size=5))
    async with database.engine.begin() as connection:
        await connection.run_sync(
            SQLModel.metadata.create_all,
            tables=[TimerRow.__table__],  # type: ignore[attr-defined]
        )
        await connection.run_sync(bench_metadata.create_all)
    return database


async def _fill(database: Database, count: int) -> None:
    async with database.unit_of_work() as session:
        await session.execute(text("TRUNCATE timers, bench_timer_effects"))
        await session.execute(_FILL, {"kind": KIND, "now": datetime.now(UTC), "count": count})


async def _effect(session: AsyncSession, timer: Timer) -> None:
    await session.execute(_EFFECT, {"key": timer.key})


async def _runner_rate(database: Database, count: int, batch_size: int) -> float:
    await _fill(database, count)
    runner = TimerRunner(database, {KIND: _effect}, settings=TimerSettings(batch_size=batch_size))
    started = time.perf_counter()
    fired = 0
    while taken := await runner.fire_due():
        fired += taken
    elapsed = time.perf_counter() - started
    await _check(database, count, fired)
    return round(fired / elapsed, 1)


async def _by_hand_rate(database: Database, count: int, *, with_effects: bool) -> float:
    await _fill(database, count)
    parameters = {"now": datetime.now(UTC), "kinds": [KIND], "limit": BATCH_SIZE}
    started = time.perf_counter()
    fired = 0
    while True:
        async with database.unit_of_work() as session:
            rows = (await session.execute(CLAIM_DUE, parameters)).all()
            for row in rows if with_effects else ():
                await session.execute(_EFFECT, {"key": row.key})
        if not rows:
            break
        fired += len(rows)
    elapsed = time.perf_counter() - started
    if with_effects:
        await _check(database, count, fired)
    return round(fired / elapsed, 1)


async def _check(database: Database, count: int, fired: int) -> None:
    async with database.unit_of_work() as session:
        written = (
            await session.execute(text("SELECT count(*) FROM bench_timer_effects"))
        ).scalar_one()
    if not fired == written == count:
        raise RuntimeError(f"{count} timers, {fired} fired, {written} effects")


async def timers_throughput(url: str, count: int, unbatched_count: int) -> Section:
    """Due timers fired per second from a backlog of `count`, against the same statements
    issued by hand."""
    database = await _prepared(url)
    try:
        baseline = await _by_hand_rate(database, count, with_effects=True)
        rate = await _runner_rate(database, count, BATCH_SIZE)
        claim_only = await _by_hand_rate(database, count, with_effects=False)
        unbatched = await _runner_rate(database, unbatched_count, 1)
    finally:
        await database.dispose()
    return Section(
        "timers fired",
        {
            "timers": count,
            "batch_size": BATCH_SIZE,
            "events_per_s": rate,
            "baseline_events_per_s": baseline,
            "ratio": round(rate / baseline, 3),
            "claim_only_per_s": claim_only,
            "unbatched_per_s": unbatched,
        },
    )


async def timer_lateness(url: str, count: int, rate_per_s: float) -> Section:
    """Handler start minus due time, with timers scheduled `rate_per_s` a second, each due
    half a second after it is scheduled, and the runner woken by NOTIFY and its own
    sleep-until-due as in a service process (default settings, the system clock)."""
    database = await _prepared(url)
    lateness: list[float] = []
    all_fired = asyncio.Event()

    async def measure(session: AsyncSession, timer: Timer) -> None:
        lateness.append((datetime.now(UTC) - timer.at).total_seconds())
        await _effect(session, timer)
        if len(lateness) >= count:
            all_fired.set()

    task = asyncio.create_task(TimerRunner(database, {KIND: measure}).run())
    try:
        await asyncio.sleep(0.5)  # the runner starts listening
        for n in range(count):
            async with database.unit_of_work() as session:
                await schedule_timer(
                    session,
                    key=f"lateness:{n}",
                    kind=KIND,
                    at=datetime.now(UTC) + timedelta(seconds=0.5),
                    payload={"n": n},
                    site="kaiserslautern",
                )
            await asyncio.sleep(1 / rate_per_s)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(all_fired.wait(), 30)
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        await database.dispose()
    section = Section("timer lateness", {"rate_per_s": rate_per_s, **latency_summary(lateness)})
    section.samples["lateness_ms"] = [s * 1000 for s in lateness]
    return section
