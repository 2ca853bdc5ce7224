"""Helpers for the end-to-end tests; the platform itself comes from cq_devstack.platform."""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import httpx

T = TypeVar("T")


async def eventually(probe: Callable[[], Awaitable[T | None]], what: str, timeout: float = 60) -> T:
    """Poll until `probe` returns something truthy; fail with `what` otherwise."""
    deadline = time.monotonic() + timeout
    while True:
        result = await probe()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.3)


async def get_json(client: httpx.AsyncClient, url: str, headers: dict[str, str]) -> Any:
    response = await client.get(url, headers=headers)
    assert response.status_code == 200, f"{url}: {response.status_code} {response.text}"
    return response.json()


async def records_for_key(bootstrap: str, topic: str, key: str) -> list[Any]:
    """Every record of `topic` with `key`, read from the beginning."""
    from aiokafka import AIOKafkaConsumer

    consumer = AIOKafkaConsumer(
        topic,
        bootstrap_servers=bootstrap,
        group_id="e2e-reader-" + uuid.uuid4().hex,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    try:
        found: list[Any] = []
        while batch := await consumer.getmany(timeout_ms=1500):
            for records in batch.values():
                found += [r for r in records if r.key == key.encode()]
        return found
    finally:
        await consumer.stop()
