"""One running volunteering service (with the demo volunteers) for the integration tests of a
module: starting it (migrations, Kafka group join) is the slow part, so tests share it and
keep out of each other's way by site and by case id."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition
from fastapi import FastAPI

from cq_devstack.stack import Infrastructure
from cq_shared.contracts.intake import CaseOpened


@dataclass
class Running:
    app: FastAPI
    client: httpx.AsyncClient


async def skip_to_the_end(bootstrap: str, topic: str, group: str) -> None:
    """Commit the group's offsets at the topic's end: cases other tests of the session opened
    earlier would otherwise be matched first and take the demo volunteers' capacity."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        # Asks the broker for the topic (creating it if need be, as the service would).
        numbers = await producer.partitions_for(topic)
    finally:
        await producer.stop()
    partitions = [TopicPartition(topic, number) for number in sorted(numbers)]
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_end(*partitions)
        await consumer.commit({tp: await consumer.position(tp) for tp in partitions})
    finally:
        await consumer.stop()


@pytest.fixture(scope="module")
async def volunteering(infrastructure: Infrastructure) -> AsyncIterator[Running]:
    name = "t_" + uuid.uuid4().hex[:12]
    await infrastructure.postgres.create_database(name)
    await skip_to_the_end(
        infrastructure.kafka.bootstrap_servers, CaseOpened.topic, "volunteering.case-needs"
    )
    with pytest.MonkeyPatch.context() as env:
        env.setenv("CQ_DATABASE_URL", infrastructure.database_url(name))
        env.setenv("CQ_VOLUNTEERING_DEMO_DATA", "true")
        env.setenv("CQ_MESSAGING_RELAY_POLL_SECONDS", "0.2")
        from cq_volunteering.main import build_app

        app = build_app()
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
                yield Running(app, client)
