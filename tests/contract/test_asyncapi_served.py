"""Every service serves the event contract at `GET /asyncapi.json`, without a token (it is the
public contract), from the service factory; one service's in-process app stands for all four.
The route needs no database or broker, so the app is not started."""

import json

import httpx
from fastapi import FastAPI

from cq_shared.contracts.documents import ASYNCAPI_FILE

from .paths import DOCS


def volunteering_app() -> FastAPI:
    from cq_volunteering.main import build_app

    return build_app()


async def test_a_service_serves_the_committed_document_without_a_token() -> None:
    app = volunteering_app()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://service") as client:
        response = await client.get("/asyncapi.json")

    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/json"
    committed = json.loads((DOCS / ASYNCAPI_FILE).read_text(encoding="utf-8"))
    assert response.json() == committed


def test_it_stays_out_of_the_services_openapi() -> None:
    """Like /livez and /metrics: it describes Kafka topics, not the service's HTTP API, so
    the OpenAPI contract tests and the fuzzer do not see it."""
    assert "/asyncapi.json" not in volunteering_app().openapi()["paths"]
