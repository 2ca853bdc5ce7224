"""Durable timers on a real PostgreSQL: fire once, with their effect; cancel; reschedule;
retry with backoff; fail for good; wake on NOTIFY; share the work between runners."""

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.clock import FixedClock
from cq_shared.db.database import Database
from cq_shared.messaging.retry import PermanentError, RetryPolicy
from cq_shared.telemetry.registry import REGISTRY, service_label
from cq_shared.timers import (
    Timer,
    TimerRunner,
    TimerSettings,
    cancel_timer,
    schedule_timer,
)
from cq_testing import count, eventually, rows

from .support import T0, prepared_database, record_effect


@pytest.fixture
async def database(fresh_database_url: str) -> AsyncIterator[Database]:
    database = await prepared_database(fresh_database_url)
    yield database
    await database.dispose()


async def schedule(
    database: Database, key: str, at: datetime, kind: str = "test.effect", **payload: object
) -> None:
    async with database.unit_of_work() as session:
        await schedule_timer(session, key=key, kind=kind, at=at, payload=payload, site="muenster")


async def effects(database: Database, key: str) -> int:
    return await count(database, "SELECT count(*) FROM timer_effects WHERE key = :key", key=key)


async def pending(database: Database) -> int:
    return await count(database, "SELECT count(*) FROM timers WHERE failed_at IS NULL")


def failed_total(kind: str, reason: str) -> float:
    labels = {"service": service_label(), "kind": kind, "reason": reason}
    return REGISTRY.get_sample_value("timers_failed_total", labels) or 0.0


def runner(database: Database, clock: FixedClock, **handlers: object) -> TimerRunner:
    return TimerRunner(
        database,
        {"test.effect": record_effect, **handlers},  # type: ignore[dict-item]
        clock=clock,
        retry=RetryPolicy(max_attempts=3, base_seconds=10.0, max_seconds=60.0),
    )


async def test_a_due_timer_fires_once_and_its_effect_commits_with_its_deletion(
    database: Database,
) -> None:
    clock = FixedClock(T0)
    await schedule(database, "case-1:reminder", T0 - timedelta(seconds=1), note="n1")

    assert await runner(database, clock).fire_due() == 1

    [(key, attempt, note)] = await rows(database, "SELECT key, attempt, note FROM timer_effects")
    assert (key, attempt, note) == ("case-1:reminder", 1, "n1")
    assert await count(database, "SELECT count(*) FROM timers") == 0
    assert await runner(database, clock).fire_due() == 0
    assert await effects(database, "case-1:reminder") == 1


async def test_a_timer_in_the_future_waits_until_the_clock_passes_it(database: Database) -> None:
    clock = FixedClock(T0)
    await schedule(database, "later", T0 + timedelta(minutes=30))
    timers = runner(database, clock)

    assert await timers.fire_due() == 0
    clock.set(T0 + timedelta(minutes=29, seconds=59))
    assert await timers.fire_due() == 0
    assert await effects(database, "later") == 0

    clock.set(T0 + timedelta(minutes=30))
    assert await timers.fire_due() == 1
    assert await effects(database, "later") == 1


async def test_a_cancelled_timer_never_fires(database: Database) -> None:
    clock = FixedClock(T0)
    await schedule(database, "hold:1", T0 + timedelta(minutes=5))
    await schedule(database, "hold:2", T0 + timedelta(minutes=5))
    async with database.unit_of_work() as session:
        assert await cancel_timer(session, "hold:1") is True
    async with database.unit_of_work() as session:
        assert await cancel_timer(session, "hold:1") is False
        assert await cancel_timer(session, "no-such-timer") is False

    clock.set(T0 + timedelta(days=1))
    assert await runner(database, clock).fire_due() == 1
    assert await effects(database, "hold:1") == 0
    assert await effects(database, "hold:2") == 1


async def test_a_cancel_that_rolls_back_cancels_nothing(database: Database) -> None:
    clock = FixedClock(T0)
    await schedule(database, "hold:3", T0)
    with pytest.raises(RuntimeError):
        async with database.unit_of_work() as session:
            await cancel_timer(session, "hold:3")
            raise RuntimeError("the caller's transaction fails")
    assert await runner(database, clock).fire_due() == 1
    assert await effects(database, "hold:3") == 1


async def test_a_rescheduled_timer_fires_at_its_new_time_only(database: Database) -> None:
    clock = FixedClock(T0)
    await schedule(database, "invite:7", T0 + timedelta(minutes=10), note="old")
    await schedule(database, "invite:7", T0 + timedelta(minutes=20), note="new")
    timers = runner(database, clock)

    clock.set(T0 + timedelta(minutes=15))  # past the old time, before the new one
    assert await timers.fire_due() == 0
    assert await effects(database, "invite:7") == 0

    clock.set(T0 + timedelta(minutes=20))
    assert await timers.fire_due() == 1
    clock.set(T0 + timedelta(days=1))
    assert await timers.fire_due() == 0
    assert await rows(database, "SELECT note FROM timer_effects WHERE key = 'invite:7'") == [
        ("new",)
    ]


async def test_a_timer_scheduled_in_a_rolled_back_transaction_does_not_exist(
    database: Database,
) -> None:
    with pytest.raises(RuntimeError):
        async with database.unit_of_work() as session:
            await schedule_timer(
                session, key="ghost", kind="test.effect", at=T0, payload={}, site="muenster"
            )
            raise RuntimeError("the caller's transaction fails")
    assert await count(database, "SELECT count(*) FROM timers") == 0


async def test_a_failing_handler_is_retried_with_backoff_then_marked_failed(
    database: Database,
) -> None:
    clock = FixedClock(T0)
    calls: list[int] = []

    async def flaky(session: AsyncSession, timer: Timer) -> None:
        calls.append(timer.attempt)
        await record_effect(session, timer)  # rolled back with the failure
        raise ValueError("the handler cannot do it")

    await schedule(database, "doomed", T0, kind="test.flaky")
    failed_before = failed_total("test.flaky", "handler_failed")
    timers = runner(database, clock, **{"test.flaky": flaky})

    assert await timers.fire_due() == 1
    [(attempt, at, failed_at)] = await rows(database, "SELECT attempt, at, failed_at FROM timers")
    assert (attempt, failed_at) == (2, None)
    # base 10 s, full jitter over the upper half: the second attempt 5..10 s later
    assert T0 + timedelta(seconds=5) <= at <= T0 + timedelta(seconds=10)
    assert await timers.fire_due() == 0  # not before its new time

    clock.set(at)
    assert await timers.fire_due() == 1
    [(attempt, at, failed_at)] = await rows(database, "SELECT attempt, at, failed_at FROM timers")
    assert (attempt, failed_at) == (3, None)
    assert clock.now() + timedelta(seconds=10) <= at <= clock.now() + timedelta(seconds=20)

    clock.set(at)
    assert await timers.fire_due() == 1
    [(attempt, failed_at)] = await rows(database, "SELECT attempt, failed_at FROM timers")
    assert (attempt, failed_at) == (3, at)  # kept, marked failed at the clock's time
    assert failed_total("test.flaky", "handler_failed") == failed_before + 1

    clock.set(T0 + timedelta(days=30))
    assert await timers.fire_due() == 0
    assert calls == [1, 2, 3]
    assert await effects(database, "doomed") == 0


async def test_a_rescheduled_failed_timer_fires_again(database: Database) -> None:
    clock = FixedClock(T0)

    async def refuses(session: AsyncSession, timer: Timer) -> None:
        raise PermanentError("no retry can fix this")

    await schedule(database, "retry-me", T0, kind="test.refuses")
    timers = runner(database, clock, **{"test.refuses": refuses})
    assert await timers.fire_due() == 1
    assert await count(database, "SELECT count(*) FROM timers WHERE failed_at IS NOT NULL") == 1

    await schedule(database, "retry-me", T0)  # same key, a kind that works
    assert await timers.fire_due() == 1
    assert await effects(database, "retry-me") == 1
    assert await count(database, "SELECT count(*) FROM timers") == 0


async def test_one_failing_timer_in_a_batch_does_not_stop_the_others(database: Database) -> None:
    clock = FixedClock(T0)

    async def fails_once(session: AsyncSession, timer: Timer) -> None:
        await record_effect(session, timer)
        if timer.attempt == 1:
            raise ValueError("not yet")

    await schedule(database, "a", T0 - timedelta(seconds=3))
    await schedule(database, "b", T0 - timedelta(seconds=2), kind="test.fails_once")
    await schedule(database, "c", T0 - timedelta(seconds=1))
    timers = runner(database, clock, **{"test.fails_once": fails_once})

    assert await timers.fire_due() == 3  # the batch fails, then one by one
    assert (await effects(database, "a"), await effects(database, "c")) == (1, 1)
    assert await effects(database, "b") == 0
    clock.set(T0 + timedelta(minutes=1))
    assert await timers.fire_due() == 1
    assert await rows(database, "SELECT key, attempt FROM timer_effects WHERE key = 'b'") == [
        ("b", 2)
    ]
    assert await count(database, "SELECT count(*) FROM timer_effects") == 3


async def test_a_timer_of_an_unknown_kind_is_marked_failed_and_the_rest_fire(
    database: Database,
) -> None:
    clock = FixedClock(T0)
    await schedule(database, "mystery", T0 - timedelta(seconds=1), kind="test.nobody")
    await schedule(database, "known", T0)
    failed_before = failed_total("test.nobody", "unknown_kind")
    timers = runner(database, clock)

    assert await timers.fire_due() == 1
    assert await timers.fail_unknown_kinds() == 1
    assert await effects(database, "known") == 1
    assert await count(database, "SELECT count(*) FROM timers WHERE failed_at IS NOT NULL") == 1
    assert failed_total("test.nobody", "unknown_kind") == failed_before + 1


async def test_the_runner_loop_wakes_on_notify_and_sleeps_until_the_next_due_time(
    database: Database,
) -> None:
    # A poll interval far longer than the test: only the notification and the runner's own
    # "sleep until the next due time" can make these timers fire in time.
    timers = TimerRunner(
        database, {"test.effect": record_effect}, settings=TimerSettings(poll_seconds=120)
    )
    task = asyncio.create_task(timers.run())
    try:
        await asyncio.sleep(0.3)  # the loop is asleep on an empty table
        await schedule(database, "now", datetime.now(UTC))
        await eventually(lambda: effects(database, "now"), "the notified timer", timeout=20)
        await schedule(database, "soon", datetime.now(UTC) + timedelta(seconds=1))
        await eventually(lambda: effects(database, "soon"), "the timer one second out", timeout=20)
        assert not task.done()
    finally:
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
    assert await effects(database, "now") == 1
    assert await effects(database, "soon") == 1


async def test_two_runners_on_one_database_fire_each_timer_once(fresh_database_url: str) -> None:
    database = await prepared_database(fresh_database_url)
    others = await prepared_database(fresh_database_url)
    fired_by: dict[str, int] = {"first": 0, "second": 0}

    def handler(name: str):  # type: ignore[no-untyped-def]
        async def fire(session: AsyncSession, timer: Timer) -> None:
            await record_effect(session, timer)
            fired_by[name] += 1
            await asyncio.sleep(0.002)  # a handler that takes a moment, as real ones do

        return fire

    settings = TimerSettings(batch_size=20, poll_seconds=0.2)
    runners = [
        TimerRunner(database, {"test.effect": handler("first")}, settings=settings),
        TimerRunner(others, {"test.effect": handler("second")}, settings=settings),
    ]
    tasks = [asyncio.create_task(each.run()) for each in runners]
    total = 600
    try:
        async with database.unit_of_work() as session:
            for n in range(total):
                await schedule_timer(
                    session,
                    key=f"shared:{n}",
                    kind="test.effect",
                    at=datetime.now(UTC) - timedelta(seconds=n % 7),
                    payload={"n": n},
                    site="muenster",
                )
        await eventually(lambda: pending(database), "every timer fired", until=lambda n: n == 0)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    assert await count(database, "SELECT count(*) FROM timer_effects") == total
    assert await count(database, "SELECT count(DISTINCT key) FROM timer_effects") == total
    assert sum(fired_by.values()) == total
    assert fired_by["first"] > 0, fired_by  # SKIP LOCKED: both runners took timers
    assert fired_by["second"] > 0, fired_by
    await database.dispose()
    await others.dispose()


async def test_a_handler_that_reschedules_its_own_key_keeps_the_next_timer(
    database: Database,
) -> None:
    """A recurring timer (a daily publication) schedules its successor under its own key. Both
    ways of firing keep it: the batch (which deletes before the handler runs) and one by one
    (which deletes after, and must not delete the rescheduled row)."""
    clock = FixedClock(T0)

    async def again_tomorrow(session: AsyncSession, timer: Timer) -> None:
        await schedule_timer(
            session,
            key=timer.key,
            kind=timer.kind,
            at=timer.at + timedelta(days=1),
            payload={"n": int(timer.payload["n"]) + 1},
            site=timer.site,
        )

    daily = runner(database, clock, **{"test.daily": again_tomorrow})
    await schedule(database, "daily", T0 - timedelta(seconds=1), kind="test.daily", n=1)
    assert await daily.fire_due() == 1
    [(at, payload)] = await rows(database, "SELECT at, payload FROM timers WHERE key = 'daily'")
    assert (at, payload) == (T0 - timedelta(seconds=1) + timedelta(days=1), {"n": 2})

    clock.set(T0 + timedelta(days=1))
    [(timer_id,)] = await rows(database, "SELECT id FROM timers WHERE key = 'daily'")
    await daily.fire_one(timer_id)
    [(at, payload)] = await rows(database, "SELECT at, payload FROM timers WHERE key = 'daily'")
    assert (at, payload) == (T0 - timedelta(seconds=1) + timedelta(days=2), {"n": 3})


async def test_scheduling_if_absent_leaves_an_existing_timer_alone(database: Database) -> None:
    await schedule(database, "once", T0 + timedelta(hours=1), note="first")
    async with database.unit_of_work() as session:
        for hours in (2, 3):
            await schedule_timer(
                session,
                key="once",
                kind="test.effect",
                at=T0 + timedelta(hours=hours),
                payload={"note": "later"},
                site="muenster",
                if_absent=True,
            )
    [(at, payload)] = await rows(database, "SELECT at, payload FROM timers WHERE key = 'once'")
    assert (at, payload) == (T0 + timedelta(hours=1), {"note": "first"})
