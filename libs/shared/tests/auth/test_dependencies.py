"""The auth dependencies over HTTP: 401 for unusable tokens, 403 for missing grants."""

import time
import uuid
from collections.abc import Callable
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi import FastAPI

from cq_shared.auth import Role, TokenVerifier

PROBLEM_JSON = "application/problem+json"
Header = Callable[[str], dict[str, str]]


def assert_problem(response: httpx.Response, status: int) -> dict[str, Any]:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == PROBLEM_JSON
    body: dict[str, Any] = response.json()
    assert body["status"] == status
    assert body["type"] == "about:blank"
    assert isinstance(body["title"], str)
    assert body["title"]
    return body


def assert_unauthorized(response: httpx.Response) -> dict[str, Any]:
    body = assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")
    assert body["title"] == "Unauthorized"
    return body


async def test_no_token_is_401_problem(client: httpx.AsyncClient) -> None:
    response = await client.get("/me")
    body = assert_unauthorized(response)
    # RFC 6750 section 3: no error code when no credentials were offered.
    assert response.headers["www-authenticate"] == "Bearer"
    assert body["detail"] == "A bearer token is required."
    assert body["instance"] == "/me"


@pytest.mark.parametrize(
    "authorization",
    ["Bearer", "Bearer ", "Basic dXNlcjpwYXNz", "Token abc", "bearer"],
)
async def test_malformed_header_is_401(client: httpx.AsyncClient, authorization: str) -> None:
    response = await client.get("/me", headers={"Authorization": authorization})
    assert_unauthorized(response)


@pytest.mark.parametrize("token", ["garbage", "a.b.c", "eyJhbGciOiJFUzI1NiJ9.e30.AAAA"])
async def test_garbage_token_is_401(
    client: httpx.AsyncClient, auth_header: Header, token: str
) -> None:
    response = await client.get("/me", headers=auth_header(token))
    body = assert_unauthorized(response)
    assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    assert body["detail"] == "The access token is not valid."


async def test_token_signed_by_another_key_is_401(
    client: httpx.AsyncClient,
    make_token: Callable[..., str],
    foreign_key: ec.EllipticCurvePrivateKey,
    auth_header: Header,
) -> None:
    response = await client.get("/me", headers=auth_header(make_token(key=foreign_key)))
    assert_unauthorized(response)


async def test_rs256_token_against_an_ec_key_is_401(
    client: httpx.AsyncClient, make_token: Callable[..., str], auth_header: Header
) -> None:
    rsa_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = make_token(key=rsa_key, algorithm="RS256")
    assert_unauthorized(await client.get("/me", headers=auth_header(token)))


async def test_expired_token_is_401(
    client: httpx.AsyncClient, make_token: Callable[..., str], auth_header: Header
) -> None:
    # Past the 30 s default leeway.
    token = make_token(exp=int(time.time()) - 120)
    body = assert_unauthorized(await client.get("/me", headers=auth_header(token)))
    assert body["detail"] == "The access token has expired."


async def test_expiry_within_leeway_is_accepted(
    client: httpx.AsyncClient, make_token: Callable[..., str], auth_header: Header
) -> None:
    token = make_token(exp=int(time.time()) - 5)
    response = await client.get("/me", headers=auth_header(token))
    assert response.status_code == 200, response.text


@pytest.mark.parametrize(
    "claims",
    [
        {"aud": "some-other-api"},
        {"iss": "https://evil.example"},
        {"aud": None},
        {"iss": None},
        {"exp": None},
        {"sub": None},
        {"sub": ""},
        {"roles": "coordinator"},
        {"sites": "muenster"},
        {"sites": [""]},
        {"nbf": int(time.time()) + 3600},
        {"volunteer_id": "volunteer-7"},
        {"volunteer_id": ""},
        {"volunteer_id": 7},
        {"volunteer_id": ["6f1c1d0e-3b9a-4c55-9d5e-2f1b7a0c4e11"]},
        {"volunteer_id": "6f1c1d0e3b9a4c559d5e2f1b7a0c4e11"},
        {"volunteer_id": "{6f1c1d0e-3b9a-4c55-9d5e-2f1b7a0c4e11}"},
        {"volunteer_id": "6f1c1d0e-3b9a-4c55-9d5e-2f1b7a0c4e1"},
        {"staff_id": "staff-3"},
        {"staff_id": "urn:uuid:6f1c1d0e-3b9a-4c55-9d5e-2f1b7a0c4e11"},
    ],
    ids=lambda claims: ",".join(f"{k}={v!r}" for k, v in claims.items()),
)
async def test_bad_claims_are_401(
    client: httpx.AsyncClient,
    make_token: Callable[..., str],
    auth_header: Header,
    claims: dict[str, Any],
) -> None:
    response = await client.get("/me", headers=auth_header(make_token(**claims)))
    assert_unauthorized(response)


async def test_person_ids_come_from_the_token(
    verifier: TokenVerifier, make_token: Callable[..., str]
) -> None:
    volunteer_id, staff_id = uuid.uuid4(), uuid.uuid4()
    person = verifier.verify(
        make_token(volunteer_id=str(volunteer_id).upper(), staff_id=str(staff_id))
    )
    assert person.volunteer_id == volunteer_id
    assert person.staff_id == staff_id
    nobody = verifier.verify(make_token())
    assert nobody.volunteer_id is None
    assert nobody.staff_id is None


async def test_wrong_site_is_403(
    client: httpx.AsyncClient, make_token: Callable[..., str], auth_header: Header
) -> None:
    token = make_token(sites=["muenster"])
    response = await client.get("/sites/zwenkau/visits", headers=auth_header(token))
    body = assert_problem(response, 403)
    assert body["title"] == "Forbidden"
    assert body["detail"] == "You do not have access to this site."
    assert "www-authenticate" not in response.headers


async def test_wrong_role_is_403(
    client: httpx.AsyncClient, make_token: Callable[..., str], auth_header: Header
) -> None:
    token = make_token(roles=[Role.VOLUNTEER.value, Role.CARE_STAFF.value])
    response = await client.get("/sites/muenster/visits", headers=auth_header(token))
    body = assert_problem(response, 403)
    assert body["detail"] == "This action requires one of the roles: coordinator, site_admin."


async def test_no_roles_claim_is_403(
    client: httpx.AsyncClient, make_token: Callable[..., str], auth_header: Header
) -> None:
    token = make_token(roles=None)
    response = await client.get("/sites/muenster/visits", headers=auth_header(token))
    assert_problem(response, 403)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.SITE_ADMIN])
async def test_right_role_and_site_is_200(
    client: httpx.AsyncClient, make_token: Callable[..., str], auth_header: Header, role: Role
) -> None:
    token = make_token(roles=[role.value], sites=["muenster", "zwenkau"])
    response = await client.get("/sites/zwenkau/visits", headers=auth_header(token))
    assert response.status_code == 200, response.text
    assert response.json() == {"site": "zwenkau", "subject": "user-42"}


async def test_all_sites_grant_reaches_any_site(
    client: httpx.AsyncClient, make_token: Callable[..., str], auth_header: Header
) -> None:
    token = make_token(sites=["*"])
    for site in ("muenster", "koeln-chorweiler"):
        response = await client.get(f"/sites/{site}/visits", headers=auth_header(token))
        assert response.status_code == 200, response.text
        assert response.json()["site"] == site


async def test_current_principal_reports_the_claims(
    client: httpx.AsyncClient, make_token: Callable[..., str], auth_header: Header
) -> None:
    token = make_token(roles=["volunteer", "care_staff"], sites=["zwenkau"])
    response = await client.get("/me", headers=auth_header(token))
    assert response.status_code == 200
    assert response.json() == {
        "subject": "user-42",
        "roles": ["care_staff", "volunteer"],
        "sites": ["zwenkau"],
    }


async def test_app_without_verifier_refuses_everyone(
    app_factory: Callable[[TokenVerifier | None], FastAPI],
    make_token: Callable[..., str],
    auth_header: Header,
) -> None:
    transport = httpx.ASGITransport(app=app_factory(None))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get("/me", headers=auth_header(make_token()))
    assert_unauthorized(response)


async def test_keyless_verifier_refuses_everyone(
    app_factory: Callable[[TokenVerifier | None], FastAPI],
    make_token: Callable[..., str],
    auth_header: Header,
) -> None:
    keyless = TokenVerifier(issuer="carequartier-test", audience="carequartier")
    transport = httpx.ASGITransport(app=app_factory(keyless))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get("/me", headers=auth_header(make_token()))
    assert_unauthorized(response)


def test_require_roles_refuses_unknown_or_no_roles() -> None:
    from cq_shared.auth import require_roles

    with pytest.raises(ValueError, match="unknown roles"):
        require_roles("cordinator")
    with pytest.raises(ValueError, match="at least one role"):
        require_roles()


def test_openapi_declares_bearer_scheme(app: FastAPI) -> None:
    schemes = app.openapi()["components"]["securitySchemes"]
    assert any(
        scheme == {"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}
        for scheme in schemes.values()
    )


def test_jwt_module_is_the_one_under_test() -> None:
    # Guards the assumptions above: PyJWT 2.x semantics for decode/encode.
    assert jwt.__version__.startswith("2.")
