"""The scheduling service as a process of its own, so a test can SIGKILL it mid-transaction.

Usage: python scheduling_process.py <clock-iso> [<marker-file> [offer|hold|shift]]

Runs the real app (`build_app`) with its clock fixed at <clock-iso>, on the database and
broker of the environment (CQ_DATABASE_URL, the Kafka client settings). With a marker file,
the offer-expiry handler (or with `hold`, the hold-expiry handler; with `shift`, the shift
offer's) does its work, then creates
the marker and blocks forever before its transaction can commit: the test kills it there.
"""

import asyncio
import sys
from collections.abc import Callable, Mapping
from datetime import datetime
from pathlib import Path

import uvicorn
from sqlmodel.ext.asyncio.session import AsyncSession

import cq_scheduling.main
from cq_scheduling.main import hold_timers, offer_timers, shift_offer_timers
from cq_shared.clock import FixedClock
from cq_shared.service import ServiceContext
from cq_shared.timers import Timer, TimerHandler

Timers = Callable[[ServiceContext], Mapping[str, TimerHandler]]


def blocking_after_work(marker: Path, handlers: Timers) -> Timers:
    def timers(context: ServiceContext) -> Mapping[str, TimerHandler]:
        real = handlers(context)

        async def work_then_block(session: AsyncSession, timer: Timer) -> None:
            [handler] = real.values()
            await handler(session, timer)
            await asyncio.to_thread(marker.write_text, "blocked", encoding="utf-8")
            await asyncio.Event().wait()  # never set: the kill lands here

        return dict.fromkeys(real, work_then_block)

    return timers


def main() -> None:
    clock = FixedClock(datetime.fromisoformat(sys.argv[1]))
    if len(sys.argv) > 2:
        marker = Path(sys.argv[2])
        if len(sys.argv) > 3 and sys.argv[3] == "hold":
            cq_scheduling.main.hold_timers = blocking_after_work(marker, hold_timers)
        elif len(sys.argv) > 3 and sys.argv[3] == "shift":
            blocking = blocking_after_work(marker, shift_offer_timers)
            cq_scheduling.main.shift_offer_timers = blocking
        else:
            cq_scheduling.main.offer_timers = blocking_after_work(marker, offer_timers)
    app = cq_scheduling.main.build_app(clock=clock)
    uvicorn.run(app, host="127.0.0.1", port=0, log_config=None)


if __name__ == "__main__":
    main()
