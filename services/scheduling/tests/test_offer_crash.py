"""A scheduling process SIGKILLed while it expires a pending hold: after the restart the
expiry fires exactly once and the offer moves on to the next person."""

import asyncio
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from cq_shared.db.database import Database
from cq_shared.settings import DatabaseSettings
from cq_testing import count, eventually, rows

from .courses_support import MS, a_course, registered, told
from .support import NOW

PROCESS = Path(__file__).with_name("scheduling_process.py")
AFTER_THE_HOLD = NOW + timedelta(hours=49)  # the course's hold is 48 hours


def start(url: str, *marker: Path) -> subprocess.Popen[bytes]:
    clock = AFTER_THE_HOLD.isoformat()
    return subprocess.Popen(
        [sys.executable, str(PROCESS), clock, *map(str, marker)],
        env={**os.environ, "CQ_DATABASE_URL": url},
    )


def stop(process: subprocess.Popen[bytes], how: signal.Signals) -> None:
    process.send_signal(how)
    process.wait(30)


async def test_a_killed_process_expires_the_hold_once_after_restart(
    serve, demo_app, bearer, fresh_database_url: str, tmp_path: Path
) -> None:
    coordinator = bearer("coordinator", MS)
    async with serve(demo_app) as client:
        course_id = await a_course(client, bearer("site_admin", MS), 1, promotion="offer")
        holder, first, second = [await registered(client, coordinator, course_id) for _ in range(3)]
        cancelled = await client.post(
            f"/v1/registrations/{holder['registration_id']}/cancel", headers=coordinator
        )
        assert cancelled.status_code == 200, cancelled.text

    database = Database(DatabaseSettings(url=fresh_database_url, pool_size=2))

    async def status(registration: dict) -> str:
        found = await rows(
            database,
            "SELECT status FROM waitlist_entries WHERE id = :id",
            id=registration["registration_id"],
        )
        return str(found[0][0])

    assert await status(first) == "offered"
    marker = tmp_path / "blocked"
    process = start(fresh_database_url, marker)
    try:
        await eventually(
            lambda: asyncio.to_thread(marker.exists),
            "the expiry blocking mid-transaction",
            timeout=90,
        )
    finally:
        stop(process, signal.SIGKILL)
    # The expiry's work was done but not committed: none of it is there.
    assert (await status(first), await status(second)) == ("offered", "waitlisted")
    assert await count(database, "SELECT count(*) FROM timers") == 1
    assert await told(database, first["case_id"]) == ["waitlisted", "offered"]

    process = start(fresh_database_url)
    try:
        await eventually(
            lambda: status(second), "the offer moving on after the restart", until="offered".__eq__
        )
    finally:
        stop(process, signal.SIGTERM)
    assert await status(first) == "expired"
    assert await told(database, first["case_id"]) == ["waitlisted", "offered", "expired"]
    assert await told(database, second["case_id"]) == ["waitlisted", "offered"]
    [(key,)] = await rows(database, "SELECT key FROM timers")
    assert key == f"waitlist-offer:{second['registration_id']}"
    await database.dispose()
