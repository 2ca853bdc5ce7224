"""Distributed tracing: the process-wide tracer provider, W3C propagation over Kafka
headers and the outbox, and FastAPI server spans.

Spans carry routing facts only (route template, status, topic, event type). Never put
message payloads, request bodies or personal data into span names or attributes.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence

from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.context import Context
from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
from opentelemetry.instrumentation.fastapi import FastAPIInstrumentor
from opentelemetry.sdk.resources import SERVICE_NAME, Resource
from opentelemetry.sdk.trace import SpanProcessor, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from opentelemetry.trace.propagation.tracecontext import TraceContextTextMapPropagator

from cq_shared.telemetry.settings import TelemetrySettings
from cq_shared.telemetry.span_redaction import redact_server_span

# Probes and scrapes arrive every few seconds and would drown the real traffic.
# ExcludeList matches with re.search against the full URL, so anchor on path end.
EXCLUDED_URLS = ("/livez", "/readyz", "/metrics")
_EXCLUDED_URL_PATTERNS = ",".join(f"{path}$" for path in EXCLUDED_URLS)

_TRACES_PATH = "/v1/traces"
TRACEPARENT_HEADER = "traceparent"
_TRACEPARENT = TRACEPARENT_HEADER

# W3C trace context only: Kafka headers and outbox rows are a contract between our
# own services, so they must not depend on OTEL_PROPAGATORS of whichever process reads.
_PROPAGATOR = TraceContextTextMapPropagator()

_setup_lock = threading.Lock()


def setup_tracing(
    settings: TelemetrySettings,
    *,
    extra_processors: Sequence[SpanProcessor] = (),
) -> TracerProvider:
    """Install the global SDK tracer provider, or extend the one already installed.

    OTel lets the global provider be set once per process. Several apps may be built
    in one process (tests), so a second call adds ``extra_processors`` to the existing
    provider instead of failing; the OTLP exporter is only attached by the first call,
    otherwise every span would be exported once per call.
    """
    with _setup_lock:
        current = trace.get_tracer_provider()
        if isinstance(current, TracerProvider):
            provider = current
        elif isinstance(current, trace.ProxyTracerProvider):
            provider = _new_provider(settings)
            trace.set_tracer_provider(provider)
        else:
            raise RuntimeError(
                f"a non-SDK tracer provider ({type(current).__name__}) is already installed"
            )
        for processor in extra_processors:
            provider.add_span_processor(processor)
        return provider


def _new_provider(settings: TelemetrySettings) -> TracerProvider:
    provider = TracerProvider(resource=Resource.create({SERVICE_NAME: settings.service_name}))
    if settings.otlp_endpoint:
        exporter = OTLPSpanExporter(endpoint=_traces_url(settings.otlp_endpoint))
        provider.add_span_processor(BatchSpanProcessor(exporter))
    return provider


def _traces_url(endpoint: str) -> str:
    # The exporter takes the full signal URL; operators configure the collector base.
    base = endpoint.rstrip("/")
    return base if base.endswith(_TRACES_PATH) else base + _TRACES_PATH


def inject_headers() -> list[tuple[str, bytes]]:
    """The current trace context as aiokafka headers; empty outside a valid span."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return [(key, value.encode("ascii")) for key, value in carrier.items()]


def extract_context(headers: Sequence[tuple[str, bytes | None]]) -> Context:
    """The trace context carried by Kafka headers.

    Extracted onto an empty Context, not the current one: a message without trace
    headers must start a new trace, not join whatever the consumer loop has active.
    """
    carrier: dict[str, str] = {}
    for key, value in headers:
        name = key.lower()
        # First occurrence wins. Kafka header values are nullable opaque bytes, so
        # absent or undecodable ones are skipped rather than allowed to break consumption.
        if name in carrier or value is None:
            continue
        try:
            carrier[name] = value.decode("ascii")
        except UnicodeDecodeError:
            continue
    return _PROPAGATOR.extract(carrier, context=Context())


def _span_context(traceparent: bytes | str) -> trace.SpanContext | None:
    """A remote span context from a W3C traceparent value; None if malformed or invalid.

    Parsed directly rather than through the propagator: the relay and the inbox do this for
    every event, and the propagator's generic path costs several times more."""
    raw = traceparent.encode("ascii", "replace") if isinstance(traceparent, str) else traceparent
    parts = raw.split(b"-")
    if len(parts) != 4 or len(parts[1]) != 32 or len(parts[2]) != 16 or len(parts[3]) != 2:
        return None
    if parts[0] == b"ff" or len(parts[0]) != 2:
        return None
    try:
        trace_id, span_id, flags = int(parts[1], 16), int(parts[2], 16), int(parts[3], 16)
    except ValueError:
        return None
    if not trace_id or not span_id:
        return None
    return trace.SpanContext(trace_id, span_id, is_remote=True, trace_flags=trace.TraceFlags(flags))


def producer_link(headers: Sequence[tuple[str, bytes | None]]) -> trace.Link | None:
    """A link to the span that published a record, for a span that processes many records.
    Malformed or absent context gives no link."""
    for key, value in headers:
        if key.lower() == _TRACEPARENT and value is not None:
            context = _span_context(value)
            return trace.Link(context) if context is not None else None
    return None


def traceparent_of(span: trace.Span) -> str | None:
    """The W3C traceparent naming `span` as the parent, without touching the current context."""
    context = span.get_span_context()
    if not context.is_valid:
        return None
    return f"00-{context.trace_id:032x}-{context.span_id:016x}-{context.trace_flags:02x}"


def current_traceparent() -> str | None:
    """The W3C traceparent of the active span, for the outbox row being written."""
    carrier: dict[str, str] = {}
    _PROPAGATOR.inject(carrier)
    return carrier.get(_TRACEPARENT)


def context_from_traceparent(tp: str | None) -> Context:
    """A context whose parent is the span that wrote the outbox row; empty if none."""
    span_context = _span_context(tp) if tp else None
    if span_context is None:
        return Context()
    return trace.set_span_in_context(trace.NonRecordingSpan(span_context), Context())


def instrument_fastapi(app: FastAPI) -> None:
    """Server spans for every request except probes and scrapes.

    The per-message ``send``/``receive`` spans are dropped: they double the span volume
    and say nothing the server span does not.
    """
    FastAPIInstrumentor.instrument_app(
        app,
        excluded_urls=_EXCLUDED_URL_PATTERNS,
        server_request_hook=redact_server_span,
        exclude_spans=["receive", "send"],
    )
