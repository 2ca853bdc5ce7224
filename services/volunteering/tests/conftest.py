"""One running volunteering service (with the demo volunteers) for the integration tests of a
module: starting it (migrations, Kafka group join) is the slow part, so tests share it and
keep out of each other's way by site and by case id."""

import uuid
from collections.abc import AsyncIterator
from dataclasses import dataclass

import httpx
import pytest
from fastapi import FastAPI

from cq_devstack.kafka_offsets import skip_to_end
from cq_devstack.stack import Infrastructure
from cq_shared.contracts.intake import CaseOpened


@dataclass
class Running:
    app: FastAPI
    client: httpx.AsyncClient


@pytest.fixture(scope="module")
async def volunteering(infrastructure: Infrastructure) -> AsyncIterator[Running]:
    name = "t_" + uuid.uuid4().hex[:12]
    await infrastructure.postgres.create_database(name)
    # Cases other tests of the session opened earlier would otherwise be matched first and
    # take the demo volunteers' capacity.
    await skip_to_end(
        infrastructure.kafka.bootstrap_servers, "volunteering.case-needs", [CaseOpened.topic]
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
