"""/readyz follows the broker: 503 while Kafka is down, 200 again once it is back."""

import asyncio
from pathlib import Path

import pytest

from cq_devstack.kafka_broker import KafkaBroker
from cq_testing import eventually

from .widget_service import build


async def ready_status(client) -> int:
    return (await client.get("/readyz")).status_code


async def wait_for_status(client, expected: int) -> int:
    return await eventually(
        lambda: ready_status(client),
        f"/readyz {expected}",
        until=lambda status: status == expected,
        interval=0.5,
    )


async def test_readyz_is_503_while_the_broker_is_stopped_and_200_once_it_is_back(
    serve, unique_topic: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broker = KafkaBroker(tmp_path / "own-broker")  # its own broker: the session's keeps running
    await asyncio.to_thread(broker.start)
    for name, value in broker.client_environment().items():  # its address and logins
        monkeypatch.setenv(name, value)
    try:
        async with serve(build(unique_topic)) as client:
            assert await ready_status(client) == 200

            await asyncio.to_thread(broker.stop)
            assert await wait_for_status(client, 503) == 503
            body = (await client.get("/readyz")).json()
            assert body["status"] == 503
            assert "kafka" in body["detail"]
            assert "database" not in body["detail"]

            await asyncio.to_thread(broker.start)
            assert await wait_for_status(client, 200) == 200
    finally:
        await asyncio.to_thread(broker.stop)
