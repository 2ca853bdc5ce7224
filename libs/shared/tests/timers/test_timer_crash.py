"""A timer runner killed with SIGKILL in the middle of firing: after a restart every timer has
fired, and each exactly once."""

import asyncio
import signal
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from cq_shared.timers import schedule_timer
from cq_testing import count, eventually

from .support import prepared_database

TIMERS = 2000
BATCH = 50
RUNNER = Path(__file__).with_name("timer_process.py")


def start_runner(url: str, block_after: int, marker: Path) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(RUNNER), url, str(BATCH), str(block_after), str(marker)]
    )


async def test_a_runner_killed_mid_transaction_fires_every_timer_once_after_restart(
    fresh_database_url: str, tmp_path: Path
) -> None:
    database = await prepared_database(fresh_database_url)
    now = datetime.now(UTC)
    for chunk in range(0, TIMERS, 500):
        async with database.unit_of_work() as session:
            for n in range(chunk, chunk + 500):
                await schedule_timer(
                    session,
                    key=f"crash:{n}",
                    kind="crash.test",
                    at=now - timedelta(seconds=n),  # all due; the last ones the earliest
                    payload={"n": n},
                    site="muenster",
                )

    # The handler of the 701st timer blocks after inserting its effect, inside a batch whose
    # other effects are written but not committed: the kill lands in the middle of it.
    marker = tmp_path / "blocked"
    runner = start_runner(fresh_database_url, block_after=700, marker=marker)
    try:
        await eventually(
            lambda: asyncio.to_thread(marker.exists), "the runner blocking mid-batch", timeout=90
        )
    finally:
        runner.send_signal(signal.SIGKILL)
        runner.wait()
    committed = await count(database, "SELECT count(*) FROM timer_effects")
    left = await count(database, "SELECT count(*) FROM timers")
    assert 0 < committed < TIMERS, "the kill must land while timers are firing"
    assert committed % BATCH == 0, "only whole batches commit"
    assert committed + left == TIMERS, "a timer's effect and its deletion commit together"

    runner = start_runner(fresh_database_url, block_after=-1, marker=marker)
    try:
        await eventually(
            lambda: count(database, "SELECT count(*) FROM timers"),
            "every timer fired after the restart",
            until=lambda n: n == 0,
            timeout=120,
        )
    finally:
        runner.send_signal(signal.SIGTERM)
        runner.wait(10)

    assert await count(database, "SELECT count(*) FROM timer_effects") == TIMERS
    assert await count(database, "SELECT count(DISTINCT key) FROM timer_effects") == TIMERS
    await database.dispose()
