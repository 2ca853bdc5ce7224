"""A scheduling process SIGKILLed while it expires a hold: after the restart the expiry fires
exactly once, and the freed place goes to the day guest waiting for it, once."""

import asyncio
import os
import signal
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

from cq_shared.contracts import NeedType
from cq_shared.contracts.scheduling import PlacePromoted, PlaceWaitlisted
from cq_shared.db.database import Database
from cq_shared.service import ServiceContext
from cq_shared.settings import DatabaseSettings
from cq_testing import count, eventually, outbox_of, rows

from .places_support import PLACES, ZW, fill, handle
from .support import NOW, case_opened, need
from .test_offer_crash import stop

PROCESS = Path(__file__).with_name("scheduling_process.py")
AFTER_THE_HOLD = NOW + timedelta(minutes=6)  # the hold lasts 5 minutes
DAY = NOW.date() + timedelta(days=3)


def start(url: str, *marker: Path) -> subprocess.Popen[bytes]:
    extra = [str(marker[0]), "hold"] if marker else []
    return subprocess.Popen(
        [sys.executable, str(PROCESS), AFTER_THE_HOLD.isoformat(), *extra],
        env={**os.environ, "CQ_DATABASE_URL": url},
    )


async def test_a_killed_process_expires_the_hold_once_after_restart(
    serve, demo_app, bearer, fresh_database_url: str, tmp_path: Path
) -> None:
    coordinator = bearer("coordinator", ZW)
    body = {"site": ZW, "resource_type": "day_care_place", "date": str(DAY), "ttl_minutes": 5}
    waiting = case_opened(ZW, need(NeedType.DAY_CARE, DAY))
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        await fill(context, DAY, PLACES - 1)
        made = await client.post("/v1/holds", json=body, headers=coordinator)
        assert made.status_code == 201, made.text
        hold_id = made.json()["hold_id"]
        await handle(context, waiting)

    database = Database(DatabaseSettings(url=fresh_database_url, pool_size=2))

    async def status() -> str:
        found = await rows(database, "SELECT status FROM bookings WHERE id = :id", id=hold_id)
        return str(found[0][0])

    async def told() -> list[str]:
        return [kind for kind, _ in await outbox_of(database, waiting.case_id)]

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
    # The expiry's work (and the promotion) was done but not committed: none of it is there.
    assert await status() == "held"
    assert await count(database, "SELECT count(*) FROM timers") == 1
    assert await told() == [PlaceWaitlisted.event_type]

    process = start(fresh_database_url)
    try:
        await eventually(status, "the hold expiring after the restart", until="expired".__eq__)
    finally:
        stop(process, signal.SIGTERM)
    assert await told() == [PlaceWaitlisted.event_type, PlacePromoted.event_type]
    assert await count(database, "SELECT count(*) FROM timers") == 0
    taken = await count(
        database,
        "SELECT count(*) FROM bookings WHERE status IN ('confirmed', 'held') "
        "AND resource_type = 'day_care_place'",
    )
    assert taken == PLACES
    await database.dispose()
