"""RFC 9457 problem responses: shape, media type, and what must never be echoed."""

from collections.abc import AsyncIterator
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, HTTPException
from pydantic import BaseModel

from cq_shared.http.problems import ProblemError, install_problem_handlers

PROBLEM_JSON = "application/problem+json"
SECRET = "F32.1 depressive episode"


class Referral(BaseModel):
    client_name: str
    age: int
    diagnosis_code: str


def _build_app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/referrals")
    async def create(referral: Referral) -> dict[str, str]:
        return {"client_name": referral.client_name}

    @app.get("/boom")
    async def boom() -> None:
        raise RuntimeError(f"database said: {SECRET}")

    @app.get("/conflict")
    async def conflict() -> None:
        raise ProblemError(
            409,
            detail="The visit is already booked.",
            problem_type="https://carequartier.example/problems/visit-booked",
        )

    @app.get("/teapot-like")
    async def http_error() -> None:
        raise HTTPException(401, detail="Token missing", headers={"WWW-Authenticate": "Bearer"})

    @app.get("/gone")
    async def gone() -> None:
        raise HTTPException(410)

    return app


@pytest.fixture
async def http() -> AsyncIterator[httpx.AsyncClient]:
    # raise_app_exceptions=False: Starlette re-raises after sending the 500 so servers can
    # log it; the test wants to see the response, as a client would.
    transport = httpx.ASGITransport(app=_build_app(), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
        yield client


def _problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    return body


async def test_invalid_body_lists_fields_but_not_values(http: httpx.AsyncClient) -> None:
    submitted = {"client_name": "Erika Mustermann", "age": SECRET, "diagnosis_code": 7}
    response = await http.post("/referrals", json=submitted)
    body = _problem(response, 422)
    assert body["type"] == "about:blank"
    assert body["title"]
    assert body["instance"] == "/referrals"
    by_location = {tuple(error["loc"]): error for error in body["errors"]}
    assert set(by_location) == {("body", "age"), ("body", "diagnosis_code")}
    assert by_location[("body", "age")]["type"] == "int_parsing"
    assert by_location[("body", "age")]["msg"]
    assert all(set(error) == {"loc", "msg", "type"} for error in body["errors"])
    # Nothing the client submitted comes back, valid or not.
    assert "Erika" not in response.text
    assert "F32.1" not in response.text
    assert "depressive" not in response.text
    assert '"input"' not in response.text


async def test_missing_field_is_listed(http: httpx.AsyncClient) -> None:
    response = await http.post("/referrals", json={"client_name": "Erika Mustermann", "age": 80})
    body = _problem(response, 422)
    assert [error["loc"] for error in body["errors"]] == [["body", "diagnosis_code"]]
    assert body["errors"][0]["type"] == "missing"
    assert "Erika" not in response.text


async def test_malformed_json_does_not_echo(http: httpx.AsyncClient) -> None:
    response = await http.post(
        "/referrals",
        content=b'{"client_name": "Erika Mustermann", "diagnosis_code": "F32.1"',
        headers={"Content-Type": "application/json"},
    )
    body = _problem(response, 422)
    assert body["errors"][0]["type"] == "json_invalid"
    assert "Erika" not in response.text
    assert "F32.1" not in response.text


async def test_unexpected_exception_is_opaque_500(http: httpx.AsyncClient) -> None:
    response = await http.get("/boom")
    body = _problem(response, 500)
    assert body == {
        "type": "about:blank",
        "title": "Internal Server Error",
        "status": 500,
        "instance": "/boom",
    }
    assert "F32.1" not in response.text
    assert "RuntimeError" not in response.text
    assert "Traceback" not in response.text


async def test_problem_error_is_rendered(http: httpx.AsyncClient) -> None:
    body = _problem(await http.get("/conflict"), 409)
    assert body == {
        "type": "https://carequartier.example/problems/visit-booked",
        "title": "Conflict",
        "status": 409,
        "detail": "The visit is already booked.",
        "instance": "/conflict",
    }


async def test_http_exception_keeps_www_authenticate(http: httpx.AsyncClient) -> None:
    response = await http.get("/teapot-like")
    body = _problem(response, 401)
    assert response.headers["www-authenticate"] == "Bearer"
    assert body["title"] == "Unauthorized"
    assert body["detail"] == "Token missing"


async def test_http_exception_without_detail(http: httpx.AsyncClient) -> None:
    body = _problem(await http.get("/gone"), 410)
    assert body == {"type": "about:blank", "title": "Gone", "status": 410, "instance": "/gone"}


async def test_unknown_route_is_404_problem(http: httpx.AsyncClient) -> None:
    body = _problem(await http.get("/nowhere?name=Erika"), 404)
    assert body["title"] == "Not Found"
    # The instance is the path only: query strings can carry personal data.
    assert body["instance"] == "/nowhere"


async def test_wrong_method_keeps_allow_header(http: httpx.AsyncClient) -> None:
    response = await http.delete("/referrals")
    _problem(response, 405)
    assert response.headers["allow"] == "POST"
