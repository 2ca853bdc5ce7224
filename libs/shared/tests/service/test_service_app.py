"""The service factory: health, auth, and one trace from HTTP through outbox and Kafka."""

from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

from cq_shared.telemetry.settings import TelemetrySettings
from cq_shared.telemetry.tracing import setup_tracing
from cq_testing import count, eventually

from .widget_service import build


async def test_health_endpoints_and_auth(serve, bearer, unique_topic: str) -> None:
    async with serve(build(unique_topic)) as client:
        assert (await client.get("/livez")).status_code == 200
        ready = await client.get("/readyz")
        assert ready.status_code == 200, ready.text
        assert ready.json()["checks"] == {"database": "ok", "kafka": "ok"}

        body = {"widget_id": "w1", "colour": "red"}
        url = "/v1/sites/muenster/widgets"
        assert (await client.post(url, json=body)).status_code == 401
        assert (
            await client.post(url, json=body, headers=bearer("volunteer", "muenster"))
        ).status_code == 403
        assert (
            await client.post(url, json=body, headers=bearer("coordinator", "zwenkau"))
        ).status_code == 403
        created = await client.post(url, json=body, headers=bearer("coordinator", "muenster"))
        assert created.status_code == 201, created.text
        metrics = await client.get("/metrics")
        assert metrics.status_code == 200
        assert "events_published_total" in metrics.text


async def test_one_trace_links_the_request_the_relay_and_the_consumer(
    serve, bearer, unique_topic: str
) -> None:
    spans = InMemorySpanExporter()
    setup_tracing(
        TelemetrySettings(service_name="widgets"), extra_processors=[SimpleSpanProcessor(spans)]
    )
    app = build(unique_topic)
    async with serve(app) as client:
        created = await client.post(
            "/v1/sites/muenster/widgets",
            json={"widget_id": "w7", "colour": "blue"},
            headers=bearer("coordinator", "muenster"),
        )
        assert created.status_code == 201
        database = app.state.context.database
        await eventually(
            lambda: count(database, "SELECT count(*) FROM test_effects"), "the effect", timeout=30
        )

    finished = spans.get_finished_spans()
    server = next(s for s in finished if s.kind.name == "SERVER" and "widgets" in s.name)
    publish = next(s for s in finished if s.name == f"publish {unique_topic}")
    process = next(s for s in finished if s.name == f"process {unique_topic}")
    assert server.context.trace_id == publish.context.trace_id == process.context.trace_id
    assert process.parent is not None
    assert process.parent.span_id == publish.context.span_id
