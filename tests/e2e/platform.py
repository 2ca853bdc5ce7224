"""The four services as separate processes on the session's real Kafka, PostgreSQL and SMTP."""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from typing import Any, TypeVar

import httpx

from cq_devstack.ports import free_port
from cq_devstack.services import (
    SERVICES,
    ServiceDef,
    service_environment,
    start_service,
    stop_service,
    wait_until_ready,
)
from cq_devstack.stack import Infrastructure
from cq_devstack.token import mint_token

T = TypeVar("T")


@dataclass
class Platform:
    infrastructure: Infrastructure
    services: dict[str, ServiceDef]
    processes: dict[str, Any] = field(default_factory=dict)

    def url(self, service: str, path: str) -> str:
        return self.services[service].url + path

    @staticmethod
    def auth(role: str, site: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {mint_token(role, site)}"}

    def mails_to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.infrastructure.smtp.messages() if address in str(m["To"])]


def start_platform(infra: Infrastructure, logs: Path) -> Platform:
    logs.mkdir(parents=True, exist_ok=True)
    suffix = uuid.uuid4().hex[:6]
    platform = Platform(infra, {s.name: ServiceDef(s.name, free_port()) for s in SERVICES})
    for name, service in platform.services.items():
        database = f"e2e_{name}_{suffix}"
        infra.create_database(database)
        env = service_environment(
            infra,
            service,
            demo_data=True,
            extra={"CQ_DATABASE_URL": infra.database_url(database)},
        )
        log = (logs / f"{name}.log").open("w")
        platform.processes[name] = start_service(service, env, echo=log)
    for name, process in platform.processes.items():
        wait_until_ready(platform.services[name], process)
    return platform


def stop_platform(platform: Platform) -> None:
    for process in platform.processes.values():
        stop_service(process)


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
