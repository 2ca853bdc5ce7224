"""An open-loop load generator (fixed offered rate) and a closed-loop one (saturation)."""

import asyncio
import time
from collections.abc import Awaitable, Callable
from typing import TypeVar

T = TypeVar("T")


async def at_fixed_rate(
    send: Callable[[int], Awaitable[T]], rate_per_s: float, count: int
) -> list[tuple[float, T]]:
    """Start `send(i)` at t0 + i/rate regardless of how long earlier calls take (open loop, so
    a slow system cannot hide its queueing); returns (start wall time, result) per call."""
    started = time.monotonic()

    async def one(index: int) -> tuple[float, T]:
        await asyncio.sleep(max(0.0, started + index / rate_per_s - time.monotonic()))
        at = time.time()
        return at, await send(index)

    return list(await asyncio.gather(*(one(i) for i in range(count))))


async def saturate(
    send: Callable[[int], Awaitable[T]], concurrency: int, count: int
) -> tuple[float, list[tuple[float, T]]]:
    """`count` calls with `concurrency` in flight; returns elapsed seconds and results."""
    queue = iter(range(count))
    results: list[tuple[float, T]] = []

    async def worker() -> None:
        for index in queue:
            at = time.time()
            results.append((at, await send(index)))

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return time.perf_counter() - started, results
