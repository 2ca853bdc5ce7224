from collections.abc import Iterator
from pathlib import Path

import pytest

from cq_devstack.platform import Platform, start_platform, stop_platform
from cq_devstack.stack import Infrastructure


@pytest.fixture(scope="session")
def platform(
    infrastructure: Infrastructure, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Platform]:
    logs = tmp_path_factory.mktemp("service-logs")
    running = start_platform(infrastructure, logs)
    try:
        yield running
    finally:
        stop_platform(running)
        for log in Path(logs).glob("*.log"):
            # Kept next to the test run for a post-mortem; print where.
            print(f"service log: {log}")
