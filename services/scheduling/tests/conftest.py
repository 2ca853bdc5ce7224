"""The scheduling app with the demo sites loaded and the clock fixed (see support.NOW).

Each test's app consumes in consumer groups of its own (`own_consumer_groups`), set to start
at the current end of `intake.cases`: a scheduling process of the end-to-end tests on the same
broker never shares its partitions, and cases other tests published never reach it.
"""

import pytest
from fastapi import FastAPI

from cq_devstack.kafka_offsets import skip_to_end
from cq_devstack.stack import Infrastructure
from cq_scheduling.main import build_app
from cq_shared.clock import FixedClock
from cq_shared.contracts.intake import CaseOpened
from cq_shared.messaging.groups import consumer_group

from .support import NOW


@pytest.fixture
async def demo_app(
    monkeypatch: pytest.MonkeyPatch, infrastructure: Infrastructure, own_consumer_groups: str
) -> FastAPI:
    monkeypatch.setenv("CQ_SCHEDULING_DEMO_DATA", "true")
    group = consumer_group("scheduling", "case-needs", own_consumer_groups)
    await skip_to_end(infrastructure.kafka.bootstrap_servers, group, [CaseOpened.topic])
    return build_app(clock=FixedClock(NOW))
