import httpx
from fastapi import FastAPI
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from cq_shared.telemetry import TelemetrySettings, instrument_fastapi, setup_tracing
from cq_shared.telemetry.tracing import _traces_url


def _app() -> FastAPI:
    app = FastAPI()

    @app.get("/referrals/{referral_id}")
    async def get_referral(referral_id: str) -> dict[str, str]:
        return {"id": referral_id}

    @app.get("/livez")
    async def livez() -> dict[str, str]:
        return {"status": "ok"}

    instrument_fastapi(app)
    return app


async def _get(app: FastAPI, path: str) -> httpx.Response:
    transport = httpx.ASGITransport(app=app, client=("203.0.113.7", 50123))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.get(path)


async def test_request_produces_one_server_span_named_by_route_template(
    spans: InMemorySpanExporter,
) -> None:
    response = await _get(_app(), "/referrals/r-123")

    assert response.status_code == 200
    server = [s for s in spans.get_finished_spans() if s.kind is SpanKind.SERVER]
    assert len(server) == 1
    assert server[0].name == "GET /referrals/{referral_id}"
    assert server[0].attributes is not None
    assert server[0].attributes["http.route"] == "/referrals/{referral_id}"
    assert server[0].attributes["http.status_code"] == 200
    # receive/send spans are excluded: the server span is all there is.
    assert len(spans.get_finished_spans()) == 1


async def test_server_span_carries_no_query_string_or_client_address(
    spans: InMemorySpanExporter,
) -> None:
    await _get(_app(), "/referrals/r-123?name=Erika%20Mustermann&born=1950-01-01")

    (span,) = spans.get_finished_spans()
    values = [str(v) for v in (span.attributes or {}).values()]
    assert values, "the server span should have attributes"
    assert not any("Erika" in v or "1950" in v or "?" in v for v in values), values
    assert not any("203.0.113.7" in v for v in values), values
    assert (span.attributes or {})["http.url"] == "http://testserver/referrals/r-123"


async def test_probe_requests_are_not_traced(spans: InMemorySpanExporter) -> None:
    response = await _get(_app(), "/livez")

    assert response.status_code == 200
    assert spans.get_finished_spans() == ()


async def test_two_instrumented_apps_in_one_process_both_trace(
    spans: InMemorySpanExporter,
) -> None:
    await _get(_app(), "/referrals/a")
    await _get(_app(), "/referrals/b")

    assert [s.name for s in spans.get_finished_spans()] == ["GET /referrals/{referral_id}"] * 2


def test_repeated_setup_returns_the_global_provider_and_adds_processors(
    provider: TracerProvider,
) -> None:
    extra = InMemorySpanExporter()
    first_name = provider.resource.attributes["service.name"]

    again = setup_tracing(
        TelemetrySettings(service_name="another-app", otlp_endpoint=None),
        extra_processors=[SimpleSpanProcessor(extra)],
    )
    with again.get_tracer("test").start_as_current_span("after-second-setup"):
        pass

    assert again is provider
    assert trace.get_tracer_provider() is provider
    assert [s.name for s in extra.get_finished_spans()] == ["after-second-setup"]
    # The first call's resource stays: the global provider is not replaced.
    # (Whichever test set it up first in this process; the second call must not change it.)
    assert provider.resource.attributes["service.name"] == first_name
    assert first_name != "another-app"


def test_otlp_endpoint_gets_the_traces_path_once() -> None:
    assert _traces_url("http://collector:4318") == "http://collector:4318/v1/traces"
    assert _traces_url("http://collector:4318/") == "http://collector:4318/v1/traces"
    assert _traces_url("http://collector:4318/v1/traces") == "http://collector:4318/v1/traces"
