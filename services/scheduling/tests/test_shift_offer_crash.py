"""A scheduling process SIGKILLed while a shift offer runs out: after the restart the expiry
fires exactly once and the gap is offered to the next candidate (or left unfilled)."""

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

from .staffing_support import KL, member
from .support import NOW

PROCESS = Path(__file__).with_name("scheduling_process.py")
AFTER_THE_OFFER = NOW + timedelta(hours=3)  # the demo's offers are open 2 hours


def start(url: str, *marker: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, str(PROCESS), AFTER_THE_OFFER.isoformat(), *marker],
        env={**os.environ, "CQ_DATABASE_URL": url, "CQ_SCHEDULING_DEMO_DATA": "false"},
    )


def stop(process: subprocess.Popen[bytes], how: signal.Signals) -> None:
    process.send_signal(how)
    process.wait(30)


async def test_a_killed_process_expires_the_shift_offer_once_after_restart(
    serve, demo_app, bearer, fresh_database_url: str, tmp_path: Path
) -> None:
    async with serve(demo_app) as client:
        reported = await client.post(
            f"/v1/staff/{member('petra-klein')}/absences",
            json={"from": "2030-03-05", "to": "2030-03-07", "reason": "illness"},
            headers=bearer("coordinator", KL),
        )
        assert reported.status_code == 201, reported.text
    [gap] = [g for g in reported.json()["gaps"] if g["status"] == "offered"][:1]
    database = Database(DatabaseSettings(url=fresh_database_url, pool_size=2))

    async def offers() -> list[tuple[str, str]]:
        found = await rows(
            database,
            "SELECT staff_id, status FROM shift_offers WHERE gap_id = :gap ORDER BY offered_at, "
            "status = 'offered'",
            gap=gap["gap_id"],
        )
        return [(str(staff), status) for staff, status in found]

    timers_before = await count(database, "SELECT count(*) FROM timers")
    marker = tmp_path / "blocked"
    process = start(fresh_database_url, str(marker), "shift")
    try:
        await eventually(
            lambda: asyncio.to_thread(marker.exists),
            "the expiry blocking mid-transaction",
            timeout=90,
        )
    finally:
        stop(process, signal.SIGKILL)
    # The expiry's work was done but not committed: none of it is there.
    assert ((gap["offered_to"], "offered")) in await offers()
    assert await count(database, "SELECT count(*) FROM timers") == timers_before

    process = start(fresh_database_url)
    try:
        await eventually(
            lambda: count(
                database,
                "SELECT count(*) FROM shift_offers WHERE id = :offer AND status = 'expired'",
                offer=gap["offer_id"],
            ),
            "the offer expiring after the restart",
            until=(1).__eq__,
            timeout=90,
        )
        await eventually(
            lambda: count(
                database,
                "SELECT count(*) FROM timers WHERE payload->>'offer_id' = :o",
                o=gap["offer_id"],
            ),
            "the expired offer's timer gone",
            until=(0).__eq__,
        )
    finally:
        stop(process, signal.SIGTERM)
    [status] = await rows(database, "SELECT status FROM shift_gaps WHERE id = :g", g=gap["gap_id"])
    assert status[0] in {"offered", "unfilled"}
    ended = await rows(
        database,
        "SELECT 1 FROM outbox WHERE subject = :g AND event_type LIKE '%shift-offer.ended%'",
        g=gap["gap_id"],
    )
    assert len(ended) == 1, "expired exactly once"
    await database.dispose()
