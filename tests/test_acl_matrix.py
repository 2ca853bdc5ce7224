"""The ACL matrix cannot drift from the code: every topic a service's consumers read names that
service among its declared `readers` (or the broker would refuse it), every declared reader
really reads it (no grant nobody needs), and decision 0016 shows the matrix
the broker gets."""

import importlib
from pathlib import Path

import pytest
from fastapi import FastAPI

import cq_shared.contracts  # noqa: F401 - declares the platform's topics
from cq_shared.clock import SystemClock
from cq_shared.db.database import Database
from cq_shared.events.access import grants, markdown_table
from cq_shared.events.catalogue import catalogue
from cq_shared.messaging.outbox import EventWriter
from cq_shared.messaging.producer import idempotent_producer
from cq_shared.service.context import ServiceContext
from cq_shared.settings import DatabaseSettings, KafkaSettings, MessagingSettings

ROOT = Path(__file__).parents[1]
SERVICES = ["intake", "scheduling", "volunteering", "notifications"]
RECORD = ROOT / "docs" / "decisions" / "0016-broker-access.md"


async def topics_read_by(service: str) -> set[str]:
    """What the service's consumers subscribe to, built as its lifespan builds them (nothing
    connects: the producer and the database are never started)."""
    app: FastAPI = importlib.import_module(f"cq_{service}.main").build_app()
    producer = idempotent_producer(KafkaSettings())
    context = ServiceContext(
        name=service,
        database=Database(DatabaseSettings()),
        producer=producer,
        writer=EventWriter(service, SystemClock()),
        clock=SystemClock(),
        kafka=KafkaSettings(),
        messaging=MessagingSettings(),
        sites=app.state.sites,
    )
    try:
        return {topic for c in app.state.spec.consumers(context) for topic in c.topics}
    finally:
        await context.database.dispose()


@pytest.mark.parametrize("service", SERVICES)
async def test_a_service_reads_only_topics_that_declare_it_a_reader(service: str) -> None:
    undeclared = {
        topic
        for topic in await topics_read_by(service)
        if service not in catalogue.topic(topic).readers
    }
    assert not undeclared, f"add {service!r} to the readers of {sorted(undeclared)}"


@pytest.mark.parametrize("service", SERVICES)
async def test_every_declared_reader_reads_the_topic(service: str) -> None:
    declared = {spec.name for spec in catalogue.topics() if service in spec.readers}
    assert declared <= await topics_read_by(service)


def test_the_decision_record_shows_the_matrix_the_broker_gets() -> None:
    table = markdown_table(grants(catalogue.topics()))
    assert table in RECORD.read_text(encoding="utf-8"), (
        "paste the matrix into docs/decisions/0016-broker-access.md:\n" + table
    )
