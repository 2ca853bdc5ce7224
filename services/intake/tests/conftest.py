"""Fixtures of intake's tests: a fixed clock and the app built on it."""

from datetime import UTC, datetime

import pytest
from fastapi import FastAPI

from cq_intake.main import build_app
from cq_shared.clock import FixedClock

# A Monday morning in Germany; request dates in the tests are relative to it.
NOW = datetime(2025, 6, 2, 8, 0, tzinfo=UTC)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def app(clock: FixedClock) -> FastAPI:
    return build_app(clock)
