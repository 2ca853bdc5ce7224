"""TokenVerifier directly: algorithm pinning and JWKS-served keys."""

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from fastapi import FastAPI

from cq_shared.auth import (
    NoVerificationKeyError,
    TokenExpiredError,
    TokenVerificationError,
    TokenVerifier,
)

ISSUER = "carequartier-test"
AUDIENCE = "carequartier"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    claims: dict[str, Any] = {
        "sub": "svc-scheduling",
        "roles": ["service"],
        "sites": ["*"],
        "iss": ISSUER,
        "aud": AUDIENCE,
        "exp": now + 300,
    }
    claims.update(overrides)
    return claims


def test_valid_token_gives_principal(
    verifier: TokenVerifier, signing_key: ec.EllipticCurvePrivateKey
) -> None:
    token = jwt.encode(_claims(name="Scheduling"), signing_key, algorithm="ES256")
    principal = verifier.verify(token)
    assert principal.subject == "svc-scheduling"
    assert principal.roles == frozenset({"service"})
    assert principal.has_all_sites
    assert principal.name == "Scheduling"


def test_unsigned_token_is_refused(verifier: TokenVerifier) -> None:
    header = _b64(json.dumps({"alg": "none", "typ": "JWT"}).encode())
    payload = _b64(json.dumps(_claims()).encode())
    with pytest.raises(TokenVerificationError):
        verifier.verify(f"{header}.{payload}.")


def test_hs256_signed_with_the_public_key_is_refused(
    verifier: TokenVerifier, signing_key: ec.EllipticCurvePrivateKey
) -> None:
    # The classic algorithm-confusion attack: the public key is public, so an HMAC over it
    # is forgeable by anyone.
    public_pem = signing_key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    signing_input = (
        _b64(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
        + "."
        + _b64(json.dumps(_claims()).encode())
    )
    signature = hmac.new(public_pem, signing_input.encode(), hashlib.sha256).digest()
    with pytest.raises(TokenVerificationError):
        verifier.verify(f"{signing_input}.{_b64(signature)}")


def test_expired_token_raises_the_expired_error(
    verifier: TokenVerifier, signing_key: ec.EllipticCurvePrivateKey
) -> None:
    token = jwt.encode(_claims(exp=int(time.time()) - 3600), signing_key, algorithm="ES256")
    with pytest.raises(TokenExpiredError, match="expired"):
        verifier.verify(token)


def test_keyless_verifier_raises(signing_key: ec.EllipticCurvePrivateKey) -> None:
    keyless = TokenVerifier(issuer=ISSUER, audience=AUDIENCE)
    with pytest.raises(NoVerificationKeyError):
        keyless.verify(jwt.encode(_claims(), signing_key, algorithm="ES256"))


def test_constructor_refuses_symmetric_algorithms() -> None:
    with pytest.raises(ValueError, match="subset"):
        TokenVerifier(issuer=ISSUER, audience=AUDIENCE, algorithms=["HS256"])
    with pytest.raises(ValueError, match="subset"):
        TokenVerifier(issuer=ISSUER, audience=AUDIENCE, algorithms=["none"])


def test_constructor_refuses_key_outside_allowed_algorithms(
    signing_key: ec.EllipticCurvePrivateKey,
) -> None:
    with pytest.raises(ValueError, match="ES256"):
        TokenVerifier(
            issuer=ISSUER,
            audience=AUDIENCE,
            algorithms=["RS256"],
            public_key=signing_key.public_key(),
        )


# --- JWKS ---------------------------------------------------------------------------

JWKS_KID = "test-rsa-1"


@pytest.fixture(scope="module")
def rsa_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def jwks_url(rsa_key: rsa.RSAPrivateKey) -> Iterator[str]:
    """A JWKS endpoint on 127.0.0.1 serving one RSA key and one (ignored) HMAC key."""
    rsa_jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(rsa_key.public_key()))
    rsa_jwk.update({"kid": JWKS_KID, "use": "sig", "alg": "RS256"})
    # If the verifier trusted this, anyone reading the JWKS could sign with it.
    hmac_jwk = {"kty": "oct", "kid": "hmac-1", "k": _b64(b"a-32-byte-key-that-is-public-now")}
    body = json.dumps({"keys": [rsa_jwk, hmac_jwk]}).encode()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/.well-known/jwks.json"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


@pytest.fixture
def jwks_verifier(jwks_url: str) -> TokenVerifier:
    return TokenVerifier(issuer=ISSUER, audience=AUDIENCE, jwks_url=jwks_url)


def test_jwks_verifies_rs256(jwks_verifier: TokenVerifier, rsa_key: rsa.RSAPrivateKey) -> None:
    token = jwt.encode(_claims(), rsa_key, algorithm="RS256", headers={"kid": JWKS_KID})
    assert jwks_verifier.uses_network
    assert jwks_verifier.verify(token).subject == "svc-scheduling"


def test_jwks_unknown_kid_is_refused(
    jwks_verifier: TokenVerifier, rsa_key: rsa.RSAPrivateKey
) -> None:
    token = jwt.encode(_claims(), rsa_key, algorithm="RS256", headers={"kid": "nope"})
    with pytest.raises(TokenVerificationError):
        jwks_verifier.verify(token)


def test_jwks_hmac_key_is_refused(jwks_verifier: TokenVerifier) -> None:
    token = jwt.encode(
        _claims(), b"a-32-byte-key-that-is-public-now", algorithm="HS256", headers={"kid": "hmac-1"}
    )
    with pytest.raises(TokenVerificationError):
        jwks_verifier.verify(token)


def test_jwks_foreign_signature_is_refused(jwks_verifier: TokenVerifier) -> None:
    impostor = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    token = jwt.encode(_claims(), impostor, algorithm="RS256", headers={"kid": JWKS_KID})
    with pytest.raises(TokenVerificationError):
        jwks_verifier.verify(token)


def test_unreachable_jwks_is_refused(rsa_key: rsa.RSAPrivateKey) -> None:
    # Port 9 (discard) on loopback: connection refused, quickly.
    verifier = TokenVerifier(
        issuer=ISSUER, audience=AUDIENCE, jwks_url="http://127.0.0.1:9/jwks.json"
    )
    token = jwt.encode(_claims(), rsa_key, algorithm="RS256", headers={"kid": JWKS_KID})
    with pytest.raises(TokenVerificationError, match="could not be verified"):
        verifier.verify(token)


async def test_jwks_over_http(
    jwks_verifier: TokenVerifier,
    rsa_key: rsa.RSAPrivateKey,
    app_factory: Callable[[TokenVerifier | None], FastAPI],
    auth_header: Callable[[str], dict[str, str]],
) -> None:
    token = jwt.encode(_claims(), rsa_key, algorithm="RS256", headers={"kid": JWKS_KID})
    transport = httpx.ASGITransport(app=app_factory(jwks_verifier))
    async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as http:
        response = await http.get("/me", headers=auth_header(token))
    assert response.status_code == 200, response.text
    assert response.json()["subject"] == "svc-scheduling"
