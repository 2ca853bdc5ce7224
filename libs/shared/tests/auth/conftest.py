"""Keys, a token factory and a small FastAPI app wired with the real auth dependencies."""

import os
import time
from collections.abc import AsyncIterator, Callable
from typing import Annotated, Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import ec
from fastapi import Depends, FastAPI

from cq_shared.auth import (
    CurrentPrincipal,
    Principal,
    Role,
    TokenVerifier,
    require_roles,
)
from cq_shared.http.problems import install_problem_handlers

ISSUER = "carequartier-test"
AUDIENCE = "carequartier"

TokenFactory = Callable[..., str]


@pytest.fixture(autouse=True)
def _clean_auth_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # A developer's or CI's CQ_AUTH_* variables must not change what these tests see.
    for name in list(os.environ):
        if name.startswith("CQ_AUTH_"):
            monkeypatch.delenv(name)


@pytest.fixture(scope="session")
def signing_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture(scope="session")
def foreign_key() -> ec.EllipticCurvePrivateKey:
    """A well-formed key the services do not trust."""
    return ec.generate_private_key(ec.SECP256R1())


@pytest.fixture
def make_token(signing_key: ec.EllipticCurvePrivateKey) -> TokenFactory:
    def make(
        *,
        key: Any = None,
        algorithm: str = "ES256",
        **claims: Any,
    ) -> str:
        now = int(time.time())
        payload: dict[str, Any] = {
            "sub": "user-42",
            "roles": [Role.COORDINATOR.value],
            "sites": ["muenster"],
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": now,
            "exp": now + 300,
        }
        payload.update(claims)
        # A claim passed as None (roles=None, exp=None...) is removed, to build tokens
        # that lack it.
        payload = {name: value for name, value in payload.items() if value is not None}
        return jwt.encode(payload, key if key is not None else signing_key, algorithm=algorithm)

    return make


@pytest.fixture
def verifier(signing_key: ec.EllipticCurvePrivateKey) -> TokenVerifier:
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, public_key=signing_key.public_key())


def build_app(verifier: TokenVerifier | None) -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)
    if verifier is not None:
        app.state.token_verifier = verifier

    planner = Annotated[Principal, Depends(require_roles(Role.COORDINATOR, Role.SITE_ADMIN))]

    @app.get("/me")
    async def me(principal: CurrentPrincipal) -> dict[str, Any]:
        return {
            "subject": principal.subject,
            "roles": sorted(principal.roles),
            "sites": sorted(principal.sites),
        }

    @app.get("/sites/{site}/visits")
    async def visits(site: str, principal: planner) -> dict[str, Any]:
        principal.require_site(site)
        return {"site": site, "subject": principal.subject}

    return app


@pytest.fixture
def app_factory() -> Callable[[TokenVerifier | None], FastAPI]:
    return build_app


@pytest.fixture
def app(verifier: TokenVerifier) -> FastAPI:
    return build_app(verifier)


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        yield http


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def auth_header() -> Callable[[str], dict[str, str]]:
    # Exposed as a fixture: with importlib import mode, test modules cannot import conftest.
    return bearer
