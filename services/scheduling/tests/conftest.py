"""The scheduling app with the demo sites loaded and the clock fixed (see support.NOW).

Only the test that publishes to Kafka runs the consumer, in a group of its own: a scheduling
process of the end-to-end tests may share the broker (and would otherwise share the group's
partitions), and events other tests published to `intake.cases` stay out of the rest.
"""

import uuid

import pytest
from fastapi import FastAPI

from cq_scheduling.main import build_app
from cq_shared.clock import FixedClock

from .support import NOW


@pytest.fixture
def demo_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CQ_SCHEDULING_DEMO_DATA", "true")


@pytest.fixture
def demo_app(demo_env: None) -> FastAPI:
    """HTTP and the booking logic, no Kafka consumer."""
    return build_app(clock=FixedClock(NOW), consume=False)


@pytest.fixture
def consuming_app(demo_env: None) -> FastAPI:
    return build_app(clock=FixedClock(NOW), group_suffix=".test-" + uuid.uuid4().hex[:8])
