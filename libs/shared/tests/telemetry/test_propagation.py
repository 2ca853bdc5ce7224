from opentelemetry import trace
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from cq_shared.messaging.relay import trace_headers
from cq_shared.telemetry import (
    context_from_traceparent,
    current_traceparent,
    extract_context,
    inject_headers,
)


def test_injected_traceparent_carries_the_current_span(provider: TracerProvider) -> None:
    with provider.get_tracer("test").start_as_current_span("publish") as span:
        headers = inject_headers()

    ctx = span.get_span_context()
    values = dict(headers)
    assert all(isinstance(v, bytes) for v in values.values())
    version, trace_id, span_id, flags = values["traceparent"].decode().split("-")
    assert version == "00"
    # Level-2 trace context: sampled (0x01) plus random trace id (0x02) in recent SDKs.
    assert flags == format(ctx.trace_flags, "02x")
    assert int(flags, 16) & 0x01
    assert trace_id == format(ctx.trace_id, "032x")
    assert span_id == format(ctx.span_id, "016x")


def test_extract_context_round_trips_injected_headers(provider: TracerProvider) -> None:
    with provider.get_tracer("test").start_as_current_span("publish") as span:
        headers = inject_headers()

    extracted = trace.get_current_span(extract_context(headers)).get_span_context()
    original = span.get_span_context()
    assert extracted.is_remote
    assert (extracted.trace_id, extracted.span_id) == (original.trace_id, original.span_id)
    assert extracted.trace_flags.sampled


def _finished(spans: InMemorySpanExporter, name: str) -> ReadableSpan:
    (span,) = [s for s in spans.get_finished_spans() if s.name == name]
    return span


def test_consumer_span_joins_the_producer_trace(
    provider: TracerProvider, spans: InMemorySpanExporter
) -> None:
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("publish") as producer:
        headers = [("content-type", b"application/json"), *inject_headers()]

    with tracer.start_as_current_span("consume", context=extract_context(headers)):
        pass

    consumer = _finished(spans, "consume")
    assert consumer.context is not None
    assert consumer.context.trace_id == producer.get_span_context().trace_id
    assert consumer.parent is not None
    assert consumer.parent.span_id == producer.get_span_context().span_id


def test_headers_without_trace_context_start_a_new_trace(provider: TracerProvider) -> None:
    with provider.get_tracer("test").start_as_current_span("consumer-loop"):
        ctx = extract_context([("content-type", b"application/json"), ("traceparent", None)])

    # Not the consumer loop's span: extraction starts from an empty context.
    assert not trace.get_current_span(ctx).get_span_context().is_valid


def test_undecodable_or_malformed_headers_yield_no_parent() -> None:
    assert (
        not trace.get_current_span(extract_context([("traceparent", b"\xff\xfe")]))
        .get_span_context()
        .is_valid
    )
    assert (
        not trace.get_current_span(extract_context([("traceparent", b"not-a-traceparent")]))
        .get_span_context()
        .is_valid
    )


def test_no_headers_outside_a_span() -> None:
    assert inject_headers() == []
    assert current_traceparent() is None


def test_traceparent_round_trip_through_the_outbox(
    provider: TracerProvider, spans: InMemorySpanExporter
) -> None:
    tracer = provider.get_tracer("test")
    with tracer.start_as_current_span("request") as request_span:
        stored = current_traceparent()

    assert stored is not None
    original = request_span.get_span_context()
    flags = f"{original.trace_flags:02x}"
    assert stored == f"00-{original.trace_id:032x}-{original.span_id:016x}-{flags}"

    # The relay publishes later, in another task, under the stored context.
    with tracer.start_as_current_span("relay", context=context_from_traceparent(stored)):
        republished = dict(inject_headers())["traceparent"].decode()

    relay = _finished(spans, "relay")
    assert relay.context is not None
    assert relay.context.trace_id == original.trace_id
    assert relay.parent is not None
    assert relay.parent.span_id == original.span_id
    assert republished.split("-")[1] == f"{original.trace_id:032x}"


def test_missing_traceparent_gives_an_empty_context() -> None:
    assert not trace.get_current_span(context_from_traceparent(None)).get_span_context().is_valid
    assert not trace.get_current_span(context_from_traceparent("")).get_span_context().is_valid


def test_public_topics_carry_no_trace_context(provider: TracerProvider) -> None:
    """One trace id on the several public events a single case caused would link them."""
    with provider.get_tracer("test").start_as_current_span("relay") as span:
        internal = trace_headers("scheduling.bookings", span)
        public = trace_headers("public.availability.v1", span)
    assert [name for name, _ in internal] == ["traceparent"]
    assert public == []
