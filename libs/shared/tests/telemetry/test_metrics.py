from enum import StrEnum

import httpx
import pytest
from fastapi import FastAPI
from prometheus_client.parser import text_string_to_metric_families

from cq_shared.telemetry import (
    REGISTRY,
    configure_metrics,
    instrument_http_metrics,
    messaging_metrics,
    metrics_router,
)

SERVICE = "metrics-tests"


@pytest.fixture(autouse=True)
def _service_label() -> None:
    configure_metrics(SERVICE)


def _app() -> FastAPI:
    app = FastAPI()
    app.include_router(metrics_router)

    @app.get("/visits/{visit_id}")
    async def get_visit(visit_id: str) -> dict[str, str]:
        return {"id": visit_id}

    instrument_http_metrics(app)
    return app


async def _get(app: FastAPI, path: str, accept: str = "*/*") -> httpx.Response:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        return await client.get(path, headers={"accept": accept})


def _sample(text: str, name: str, labels: dict[str, str]) -> float | None:
    for family in text_string_to_metric_families(text):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return sample.value
    return None


def _value(name: str, labels: dict[str, str]) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


async def test_metrics_endpoint_exposes_published_events_with_their_labels() -> None:
    labels = {
        "service": SERVICE,
        "topic": "cq.intake.referrals.v1",
        "event_type": "ReferralCreated",
    }
    before = _value("events_published_total", labels)

    messaging_metrics().published("cq.intake.referrals.v1", "ReferralCreated")
    messaging_metrics().published("cq.intake.referrals.v1", "ReferralCreated", n=2)
    response = await _get(_app(), "/metrics")

    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    assert _sample(response.text, "events_published_total", labels) == before + 3


async def test_metrics_endpoint_speaks_openmetrics_when_asked() -> None:
    response = await _get(_app(), "/metrics", accept="application/openmetrics-text")

    assert response.headers["content-type"].startswith("application/openmetrics-text")
    assert response.text.rstrip().endswith("# EOF")


def test_metrics_route_is_not_part_of_the_api_schema() -> None:
    assert "/metrics" not in _app().openapi()["paths"]


def test_every_messaging_instrument_records_under_its_labels() -> None:
    m = messaging_metrics()
    consumed = {"service": SERVICE, "topic": "t.v1", "consumer": "sched", "outcome": "processed"}
    retried = {"service": SERVICE, "consumer": "sched", "event_type": "E"}
    dead = {"service": SERVICE, "topic": "t.v1", "reason": "schema_invalid"}
    dedup = {"service": SERVICE, "consumer": "sched"}
    handler = {"service": SERVICE, "consumer": "sched", "event_type": "E"}
    publish = {"service": SERVICE}
    before = {
        "consumed": _value("events_consumed_total", consumed),
        "retried": _value("handler_retries_total", retried),
        "dead": _value("dead_lettered_total", dead),
        "dedup": _value("redeliveries_deduplicated_total", dedup),
        "handler_count": _value("handler_duration_seconds_count", handler),
        "handler_sum": _value("handler_duration_seconds_sum", handler),
        "publish_count": _value("outbox_publish_latency_seconds_count", publish),
    }

    m.consumed("t.v1", "sched", "processed")
    m.retried("sched", "E")
    m.dead_lettered("t.v1", "schema_invalid")
    m.deduplicated("sched")
    m.observe_handler("sched", "E", 0.25)
    m.observe_publish_latency(1.5)
    m.set_outbox_state(backlog=7, oldest_age_seconds=12.5)

    assert _value("events_consumed_total", consumed) == before["consumed"] + 1
    assert _value("handler_retries_total", retried) == before["retried"] + 1
    assert _value("dead_lettered_total", dead) == before["dead"] + 1
    assert _value("redeliveries_deduplicated_total", dedup) == before["dedup"] + 1
    assert _value("handler_duration_seconds_count", handler) == before["handler_count"] + 1
    assert _value("handler_duration_seconds_sum", handler) == before["handler_sum"] + 0.25
    assert _value("outbox_publish_latency_seconds_count", publish) == before["publish_count"] + 1
    assert _value("outbox_backlog", publish) == 7
    assert _value("outbox_oldest_age_seconds", publish) == 12.5


def test_free_text_label_values_are_recorded_as_invalid() -> None:
    leaked = {"service": SERVICE, "topic": "t.v1", "reason": "KeyError: 'Erika Mustermann'"}
    invalid = {"service": SERVICE, "topic": "t.v1", "reason": "invalid"}
    before = _value("dead_lettered_total", invalid)

    messaging_metrics().dead_lettered("t.v1", "KeyError: 'Erika Mustermann'")

    assert REGISTRY.get_sample_value("dead_lettered_total", leaked) is None
    assert _value("dead_lettered_total", invalid) == before + 1


async def test_http_requests_are_labelled_by_route_template_not_path() -> None:
    app = _app()
    matched = {
        "service": SERVICE,
        "method": "GET",
        "route": "/visits/{visit_id}",
        "status_code": "200",
    }
    unmatched = {"service": SERVICE, "method": "GET", "route": "unmatched", "status_code": "404"}
    name = "http_server_request_duration_seconds_count"
    before_matched, before_unmatched = _value(name, matched), _value(name, unmatched)

    await _get(app, "/visits/v-1")
    await _get(app, "/visits/v-2")
    await _get(app, "/no/such/path")
    text = (await _get(app, "/metrics")).text

    assert _value(name, matched) == before_matched + 2
    assert _value(name, unmatched) == before_unmatched + 1
    assert "v-1" not in text
    assert "/no/such/path" not in text
    # The scrape itself is not counted.
    assert 'route="/metrics"' not in text


def test_consume_outcomes_are_a_closed_set() -> None:
    class Outcome(StrEnum):
        IGNORED = "ignored"

    base = {"service": SERVICE, "topic": "t.v1", "consumer": "sched"}
    ignored = {**base, "outcome": "ignored"}
    invalid = {**base, "outcome": "invalid"}
    before_ignored = _value("events_consumed_total", ignored)
    before_invalid = _value("events_consumed_total", invalid)

    messaging_metrics().consumed("t.v1", "sched", Outcome.IGNORED)
    messaging_metrics().consumed("t.v1", "sched", "exploded")

    assert _value("events_consumed_total", ignored) == before_ignored + 1
    assert _value("events_consumed_total", invalid) == before_invalid + 1
