from collections.abc import Iterator

import pytest
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from cq_shared.telemetry import TelemetrySettings, setup_tracing


@pytest.fixture(scope="session")
def _tracing() -> tuple[TracerProvider, InMemorySpanExporter]:
    # The global provider lives for the whole process and processors cannot be removed,
    # so the in-memory exporter is attached once and cleared per test.
    exporter = InMemorySpanExporter()
    provider = setup_tracing(
        TelemetrySettings(service_name="telemetry-tests", otlp_endpoint=None),
        extra_processors=[SimpleSpanProcessor(exporter)],
    )
    return provider, exporter


@pytest.fixture
def provider(_tracing: tuple[TracerProvider, InMemorySpanExporter]) -> TracerProvider:
    return _tracing[0]


@pytest.fixture
def spans(_tracing: tuple[TracerProvider, InMemorySpanExporter]) -> Iterator[InMemorySpanExporter]:
    exporter = _tracing[1]
    exporter.clear()
    yield exporter
    exporter.clear()
