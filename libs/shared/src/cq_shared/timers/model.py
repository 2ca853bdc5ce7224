"""What a handler receives, and what it is."""

from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

# pg_notify channel: delivered when a transaction that scheduled a timer commits.
NOTIFY_CHANNEL = "carequartier_timers"


@dataclass(frozen=True)
class Timer:
    """A due timer being fired. `attempt` is 1 on the first firing, 2 on the first retry."""

    key: str
    kind: str
    at: datetime
    payload: Mapping[str, Any]
    site: str
    attempt: int


# Runs inside the transaction that also deletes the timer: write with `session`, publish with
# `writer.add(session, ...)`, never commit. Raising rolls the effect back; the timer is retried.
TimerHandler = Callable[[AsyncSession, Timer], Awaitable[None]]
