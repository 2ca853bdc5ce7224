"""The pytest plugin (entry point `pytest11`, so every suite of the workspace has it).

Its fixtures build on the root conftest's `infrastructure` fixture (the running Kafka broker,
PostgreSQL and SMTP sink), requested by name: the library itself never imports the devstack.
"""

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from cq_testing.events import Publisher


@pytest.fixture
async def publisher(infrastructure: Any) -> AsyncIterator[Publisher]:
    """A started publisher on the test broker."""
    async with Publisher(infrastructure.kafka.bootstrap_servers) as started:
        yield started


@pytest.fixture
def own_consumer_groups(monkeypatch: pytest.MonkeyPatch) -> str:
    """Services started in this test consume in consumer groups of their own (a fresh
    `CQ_MESSAGING_GROUP_PREFIX`), from the end of their topics' partitions as any new group
    does: nothing another test published, and no process of another test, feeds them. The
    prefix goes after the service's name (`<service>.<prefix><purpose>`, see
    cq_shared.messaging.groups.consumer_group)."""
    prefix = f"test-{uuid.uuid4().hex[:8]}."
    monkeypatch.setenv("CQ_MESSAGING_GROUP_PREFIX", prefix)
    return prefix
