"""Session-wide real infrastructure for every test: one Kafka broker and one PostgreSQL server.

A missing broker or database is a failure, never a skip: the fixtures raise if they cannot start.
"""

import asyncio
import os
import uuid
from collections.abc import Iterator

import pytest
from cq_devstack.stack import Infrastructure, running_infrastructure


@pytest.fixture(scope="session")
def infrastructure() -> Iterator[Infrastructure]:
    with running_infrastructure(durable=False) as infra:
        os.environ["CQ_KAFKA_BOOTSTRAP_SERVERS"] = infra.kafka.bootstrap_servers
        yield infra


@pytest.fixture
def fresh_database_url(infrastructure: Infrastructure) -> str:
    """A new, empty database for one test (tests never see each other's rows)."""
    name = "t_" + uuid.uuid4().hex[:12]
    asyncio.run(infrastructure.postgres.create_database(name))
    return infrastructure.database_url(name)


@pytest.fixture
def unique_topic() -> str:
    return "test." + uuid.uuid4().hex[:10]
