"""The Grafana dashboard and the Prometheus alert rules only use metrics the services export,
so operations teams never look at an empty panel after a rename."""

import json
import re
from pathlib import Path

import httpx
import yaml
from fastapi import FastAPI

from cq_shared.telemetry.http_metrics import instrument_http_metrics
from cq_shared.telemetry.metrics import configure_metrics, metrics_router

ROOT = Path(__file__).parents[1]
OBSERVABILITY = ROOT / "deploy" / "observability"
IDENTIFIER = re.compile(r"\b([a-z_]+_(?:total|seconds|backlog|bucket|count))\b")


def referenced_metrics() -> set[str]:
    dashboard = json.loads(
        (OBSERVABILITY / "grafana" / "dashboards" / "carequartier-overview.json").read_text()
    )
    expressions = [t["expr"] for panel in dashboard["panels"] for t in panel["targets"]]
    rules = yaml.safe_load((OBSERVABILITY / "alerts.yml").read_text())
    expressions += [rule["expr"] for group in rules["groups"] for rule in group["rules"]]
    return {name for expr in expressions for name in IDENTIFIER.findall(expr)}


async def exported_metrics_text() -> str:
    metrics = configure_metrics("dashboard-test")
    metrics.published("intake.cases", "t.v1")
    metrics.consumed("intake.cases", "c", "processed")
    metrics.observe_handler("c", "t.v1", 0.01)
    metrics.set_outbox_state(3, 1.5)
    metrics.retried("c", "t.v1")
    metrics.dead_lettered("intake.cases", "not_json")
    metrics.deduplicated("c")
    metrics.observe_publish_latency(0.02)
    app = FastAPI()
    app.include_router(metrics_router)

    @app.get("/ping")
    async def ping() -> dict[str, str]:
        return {"pong": "yes"}

    instrument_http_metrics(app)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://t") as c:
        await c.get("/ping")
        return (await c.get("/metrics")).text


async def test_every_metric_in_dashboards_and_alerts_is_exported() -> None:
    referenced = referenced_metrics()
    assert len(referenced) >= 8
    text = await exported_metrics_text()
    missing = {name for name in referenced if not re.search(rf"^{name}[{{ ]", text, re.M)}
    assert missing == set()
