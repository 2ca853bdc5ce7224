"""A service started while Kafka is down waits for it (503 meanwhile, never an exit or a 500),
then creates its declared topics (the broker creates none on its own) and serves."""

import asyncio
from pathlib import Path

import pytest
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.admin.config_resource import ConfigResource, ConfigResourceType

from cq_devstack.kafka_broker import KafkaBroker
from cq_intake.main import build_app
from cq_shared.messaging.connection import client_options
from cq_testing import eventually


async def test_intake_waits_for_kafka_then_creates_its_topics(
    serve, bearer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    broker = KafkaBroker(tmp_path / "own-broker")  # its own broker, not yet started
    # The operator: no ACLs are applied on this broker (the session's has them).
    for name, value in broker.client_environment().items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("CQ_KAFKA_REQUEST_TIMEOUT_MS", "2000")
    try:
        async with serve(build_app()) as client:
            ready = await client.get("/readyz")
            assert ready.status_code == 503
            assert ready.headers["content-type"] == "application/problem+json"
            assert "starting" in ready.json()["detail"]
            cases = await client.get("/v1/cases", headers=bearer("coordinator", "muenster"))
            assert cases.status_code == 503
            assert cases.headers["Retry-After"] == "5"

            await asyncio.to_thread(broker.start)

            async def ready_status() -> int:
                return (await client.get("/readyz")).status_code

            await eventually(ready_status, "intake ready", until=lambda s: s == 200, timeout=90)
            listed = await client.get("/v1/cases", headers=bearer("coordinator", "muenster"))
            assert listed.status_code == 200, listed.text

        admin = AIOKafkaAdminClient(**client_options(broker.settings()))
        await admin.start()
        try:
            described = {
                topic["topic"]: len(topic["partitions"])
                for topic in await admin.describe_topics()
                if not topic["topic"].startswith("__")
            }
            [configs] = await admin.describe_configs(
                [ConfigResource(ConfigResourceType.TOPIC, "intake.cases")]
            )
        finally:
            await admin.close()
        # Its own topic and DLQ, and the DLQs of the topics it reads, six partitions each.
        assert described == {
            "intake.case-keys": 6,
            "intake.case-keys.dlq": 6,
            "intake.cases": 6,
            "intake.cases.dlq": 6,
            "notifications.deliveries": 6,
            "notifications.deliveries.dlq": 6,
            "public.needs-daily.v1": 6,
            "public.needs-daily.v1.dlq": 6,
            "scheduling.bookings": 6,
            "scheduling.bookings.dlq": 6,
            "volunteering.matches": 6,
            "volunteering.matches.dlq": 6,
        }
        settings = {entry[0]: entry[1] for entry in configs.resources[0][4]}
        assert settings["retention.ms"] == str(7 * 24 * 3600 * 1000)
        assert settings["cleanup.policy"] == "delete"
    finally:
        await asyncio.to_thread(broker.stop)
