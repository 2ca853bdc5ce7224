"""Session-wide real infrastructure for every test: one Kafka broker, one PostgreSQL server and
one SMTP sink. A missing broker or database is a failure, never a skip: the fixtures raise."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from contextlib import AbstractAsyncContextManager, asynccontextmanager

import httpx
import pytest
from fastapi import FastAPI

import cq_shared.contracts  # noqa: F401 - declares the platform's topics
from cq_devstack.stack import Infrastructure, running_infrastructure
from cq_devstack.token import mint_token
from cq_shared.events.catalogue import catalogue
from cq_shared.events.topics import TopicSpec
from cq_shared.messaging.topic_admin import ensure_topics


@pytest.fixture(scope="session")
def infrastructure() -> Iterator[Infrastructure]:
    with running_infrastructure(durable=False) as infra, pytest.MonkeyPatch.context() as env:
        # The suite's own clients (and in-process apps on throw-away topics) log in as the
        # operator, a super user; service processes get their own principals
        # (Infrastructure.environment), as in production (docs/decisions/0016).
        for name, value in infra.kafka.client_environment().items():
            env.setenv(name, value)
        env.setenv("CQ_SMTP_HOST", "127.0.0.1")
        env.setenv("CQ_SMTP_PORT", str(infra.smtp.port))
        # Every declared topic, as on a platform whose services have all started once: tests
        # publish to a topic (or move a group to its end) before the service that owns it runs.
        settings = infra.kafka.settings()
        declared = [each for spec in catalogue.topics() for each in spec.with_dead_letters()]
        asyncio.run(ensure_topics(settings, declared))
        yield infra


@pytest.fixture
def fresh_database_url(infrastructure: Infrastructure) -> str:
    """A new, empty database for one test (tests never see each other's rows)."""
    name = "t_" + uuid.uuid4().hex[:12]
    asyncio.run(infrastructure.postgres.create_database(name))
    return infrastructure.database_url(name)


@pytest.fixture
def unique_topic(infrastructure: Infrastructure) -> str:
    """A new topic and its dead-letter topic, created as a service creates its declared topics
    (the broker creates none on its own)."""
    name = "test." + uuid.uuid4().hex[:10]
    settings = infrastructure.kafka.settings()
    spec = TopicSpec(name, owner="test", partitions=3)
    asyncio.run(ensure_topics(settings, spec.with_dead_letters()))
    return name


ServiceStarter = Callable[[FastAPI], AbstractAsyncContextManager[httpx.AsyncClient]]


@pytest.fixture
def serve(fresh_database_url: str, monkeypatch: pytest.MonkeyPatch) -> ServiceStarter:
    """Run a service app in this process (lifespan included: migrations, consumers, relay) on
    a fresh database, and give an HTTP client for it."""

    @asynccontextmanager
    async def start(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
        monkeypatch.setenv("CQ_DATABASE_URL", fresh_database_url)
        async with app.router.lifespan_context(app):
            transport = httpx.ASGITransport(app=app)
            async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
                yield client

    return start


@pytest.fixture
def bearer() -> Callable[..., dict[str, str]]:
    """Authorization headers for a development token: bearer("coordinator", "muenster"), or
    for one person: bearer("volunteer", "muenster", volunteer_id=...)."""

    def headers(
        role: str,
        site: str,
        *,
        volunteer_id: uuid.UUID | str | None = None,
        staff_id: uuid.UUID | str | None = None,
    ) -> dict[str, str]:
        token = mint_token(role, site, volunteer_id=volunteer_id, staff_id=staff_id)
        return {"Authorization": f"Bearer {token}"}

    return headers
