"""Telemetry for CareQuartier services: traces, metrics and structured logs.

Nothing recorded here may contain message payloads, request bodies or personal data;
see the module docstrings of ``logging`` and ``span_redaction``.
"""

from cq_shared.telemetry.http_metrics import HttpMetricsMiddleware, instrument_http_metrics
from cq_shared.telemetry.logging import setup_logging
from cq_shared.telemetry.metrics import (
    REGISTRY,
    ConsumeOutcome,
    MessagingMetrics,
    configure_metrics,
    messaging_metrics,
    metrics_endpoint,
    metrics_router,
)
from cq_shared.telemetry.settings import TelemetrySettings
from cq_shared.telemetry.tracing import (
    context_from_traceparent,
    current_traceparent,
    extract_context,
    inject_headers,
    instrument_fastapi,
    setup_tracing,
)

__all__ = [
    "REGISTRY",
    "ConsumeOutcome",
    "HttpMetricsMiddleware",
    "MessagingMetrics",
    "TelemetrySettings",
    "configure_metrics",
    "context_from_traceparent",
    "current_traceparent",
    "extract_context",
    "inject_headers",
    "instrument_fastapi",
    "instrument_http_metrics",
    "messaging_metrics",
    "metrics_endpoint",
    "metrics_router",
    "setup_logging",
    "setup_tracing",
]
