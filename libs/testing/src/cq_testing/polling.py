"""Waiting for what an asynchronous platform does eventually."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def eventually(
    probe: Callable[[], Awaitable[T]],
    what: str = "the condition",
    *,
    until: Callable[[T], object] = bool,
    timeout: float = 60.0,
    interval: float = 0.2,
) -> T:
    """Call `probe` until `until` holds for its result (by default: until the result is truthy)
    and return that result; fail the test with `what` and the last result after `timeout`
    seconds."""
    deadline = time.monotonic() + timeout
    while True:
        result = await probe()
        if until(result):
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}; last seen: {result!r}")
        await asyncio.sleep(interval)
