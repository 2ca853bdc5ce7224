"""Bad input is a 422 naming the field, access is checked, and nothing is half-written."""

import copy
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI

from .support import TABLES, counts, day, emergency

Body = dict[str, Any]


def _set(path: str, value: Any) -> Callable[[Body], None]:
    """A change to the emergency request at a dotted path ("needs.0.start")."""

    def change(body: Body) -> None:
        *parents, last = [int(part) if part.isdigit() else part for part in path.split(".")]
        target: Any = body
        for part in parents:
            target = target[part]
        if value is _DELETE:
            del target[last]
        else:
            target[last] = value

    return change


_DELETE = object()

# (what is wrong, the change, the field the problem must name)
INVALID: list[tuple[str, Callable[[Body], None], list[str | int]]] = [
    ("unknown site", _set("site", "atlantis"), ["body", "site"]),
    ("need the site does not offer", _set("site", "muenster"), ["body", "needs", 0, "type"]),
    ("no consent", _set("consent.data_processing", False), ["body", "consent", "data_processing"]),
    ("born tomorrow", _set("client.birth_date", day(1)), ["body", "client", "birth_date"]),
    ("start yesterday", _set("needs.1.start", day(-1)), ["body", "needs", 1, "start"]),
    (
        "short-term care without start",
        _set("needs.0.start", _DELETE),
        ["body", "needs", 0, "start"],
    ),
    ("short-term care without days", _set("needs.0.days", _DELETE), ["body", "needs", 0, "days"]),
    ("unreachable contact", _set("contacts.0.email", _DELETE), ["body", "contacts", 0, "email"]),
    (
        "four-digit postal code",
        _set("client.postal_code", "6765"),
        ["body", "client", "postal_code"],
    ),
    ("nine weeks", _set("needs.0.days", 63), ["body", "needs", 0, "days"]),
    ("note too long", _set("needs.0.note", "x" * 2001), ["body", "needs", 0, "note"]),
    ("NUL in a name", _set("client.given_name", "Hilde\x00"), ["body", "client", "given_name"]),
    ("no needs", _set("needs", []), ["body", "needs"]),
    ("unknown need type", _set("needs.1.type", "massage"), ["body", "needs", 1, "type"]),
    ("a misspelt field", _set("contacts.0.notfy", True), ["body", "contacts", 0, "notfy"]),
]


async def test_each_invalid_request_is_a_422_naming_the_field(serve, bearer, app: FastAPI) -> None:
    # A coordinator of every site, so that only the request itself can be wrong.
    headers = bearer("coordinator", "*")
    async with serve(app) as client:
        for what, change, field in INVALID:
            body = copy.deepcopy(emergency())
            change(body)
            response = await client.post("/v1/requests", json=body, headers=headers)
            assert response.status_code == 422, f"{what}: {response.status_code} {response.text}"
            assert response.headers["content-type"] == "application/problem+json", what
            locations = [error["loc"] for error in response.json()["errors"]]
            assert field in locations, f"{what}: {locations}"

        malformed = await client.post(
            "/v1/requests",
            content=b'{"site": "kaiserslautern",',
            headers={**headers, "Content-Type": "application/json"},
        )
        assert malformed.status_code == 422
        assert malformed.headers["content-type"] == "application/problem+json"

        assert await counts(app) == dict.fromkeys(TABLES, 0)


async def test_access_is_checked(serve, bearer, app: FastAPI) -> None:
    kaiserslautern = bearer("coordinator", "kaiserslautern")
    zwenkau = bearer("coordinator", "zwenkau")
    async with serve(app) as client:
        assert (await client.post("/v1/requests", json=emergency())).status_code == 401
        refused = await client.post("/v1/requests", json=emergency(), headers=zwenkau)
        assert refused.status_code == 403
        assert refused.headers["content-type"] == "application/problem+json"
        volunteer = bearer("volunteer", "kaiserslautern")
        assert (
            await client.post("/v1/requests", json=emergency(), headers=volunteer)
        ).status_code == 403
        assert await counts(app) == dict.fromkeys(TABLES, 0)

        created = await client.post("/v1/requests", json=emergency(), headers=kaiserslautern)
        url = created.headers["location"]
        assert (await client.get(url)).status_code == 401
        assert (await client.get(url, headers=zwenkau)).status_code == 403
        assert (await client.get(url, headers=volunteer)).status_code == 403
        assert (await client.get("/v1/cases", headers=volunteer)).status_code == 403
        unknown = await client.get(
            "/v1/cases/00000000-0000-4000-8000-000000000000", headers=kaiserslautern
        )
        assert unknown.status_code == 404
        assert unknown.headers["content-type"] == "application/problem+json"
        assert (await client.get("/v1/cases/not-a-uuid", headers=kaiserslautern)).status_code == 422
        # Refused reads leave no trail of a read: only the creation is audited.
        assert (await counts(app))["audit_events"] == 1
