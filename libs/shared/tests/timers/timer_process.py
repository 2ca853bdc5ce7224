"""A stand-alone timer runner process, so a test can SIGKILL it mid-transaction.

Usage: python timer_process.py <database-url> <batch-size> <block-after> <marker-file>

Its handler inserts one effect row per timer. With block-after N >= 0, the handler of the
(N+1)th timer this process fires inserts its row, creates the marker file and then blocks
forever, before its transaction can commit: the test kills the process there.
"""

import asyncio
import sys
from pathlib import Path

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.db.database import Database
from cq_shared.settings import DatabaseSettings
from cq_shared.timers import Timer, TimerRunner, TimerSettings


async def main(url: str, batch_size: int, block_after: int, marker: Path) -> None:
    database = Database(DatabaseSettings(url=url, pool_size=2))
    fired = 0

    async def handler(session: AsyncSession, timer: Timer) -> None:
        nonlocal fired
        await session.execute(
            text("INSERT INTO timer_effects (key, attempt) VALUES (:key, :attempt)"),
            {"key": timer.key, "attempt": timer.attempt},
        )
        fired += 1
        if block_after >= 0 and fired > block_after:
            await asyncio.to_thread(marker.write_text, "blocked", encoding="utf-8")
            await asyncio.Event().wait()  # never set: the kill lands here

    runner = TimerRunner(
        database,
        {"crash.test": handler},
        settings=TimerSettings(batch_size=batch_size, poll_seconds=0.2),
    )
    await runner.run()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), Path(sys.argv[4])))
