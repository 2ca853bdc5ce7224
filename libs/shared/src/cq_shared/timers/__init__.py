"""Durable timers: "do X at time T, even if the process restarts in between".

Schedule with `schedule_timer(session, key=..., kind=..., at=..., payload=..., site=...)` in
the transaction that decides it; cancel with `cancel_timer(session, key)`. A service declares
its handlers with `ServiceSpec(timers=lambda context: {kind: handler})`, and its process fires
due timers (`TimerRunner`): a handler's effect and the timer's completion commit together.
Payloads carry ids, never personal data. See docs/decisions/0009-durable-timers.md.
"""

from cq_shared.timers.model import Timer, TimerHandler
from cq_shared.timers.runner import TimerRunner
from cq_shared.timers.schedule import cancel_timer, schedule_timer
from cq_shared.timers.settings import TimerSettings
from cq_shared.timers.table import TimerRow

__all__ = [
    "Timer",
    "TimerHandler",
    "TimerRow",
    "TimerRunner",
    "TimerSettings",
    "cancel_timer",
    "schedule_timer",
]
