"""Verifying bearer JWTs: signature, algorithm, expiry, issuer and audience."""

import logging
from collections.abc import Iterable
from typing import Any, Self

import jwt

from cq_shared.auth.claims import principal_from_claims
from cq_shared.auth.errors import (
    NoVerificationKeyError,
    TokenExpiredError,
    TokenVerificationError,
)
from cq_shared.auth.keys import VerificationKey, algorithm_for, resolve_public_key
from cq_shared.auth.principal import Principal
from cq_shared.auth.settings import SUPPORTED_ALGORITHMS, AuthSettings

logger = logging.getLogger(__name__)

# A slow identity provider must not hold request threads for PyJWKClient's default 30 s.
JWKS_TIMEOUT_SECONDS = 5.0
REQUIRED_CLAIMS = ["sub", "exp", "iss", "aud"]


class TokenVerifier:
    """Checks tokens against one public key or a JWKS endpoint.

    With neither, it is a deny-all verifier: every ``verify`` raises. ``verify`` blocks on
    the network when a JWKS has to be (re)fetched; see ``uses_network``.
    """

    def __init__(
        self,
        *,
        issuer: str,
        audience: str,
        algorithms: Iterable[str] = SUPPORTED_ALGORITHMS,
        public_key: VerificationKey | None = None,
        jwks_url: str | None = None,
        leeway_seconds: int = 30,
    ) -> None:
        allowed = frozenset(algorithms)
        unsupported = allowed - SUPPORTED_ALGORITHMS
        if unsupported or not allowed:
            raise ValueError(f"algorithms must be a non-empty subset of {SUPPORTED_ALGORITHMS}")
        if public_key is not None and jwks_url is not None:
            raise ValueError("configure a public key or a JWKS URL, not both")
        if public_key is not None and algorithm_for(public_key) not in allowed:
            raise ValueError(
                f"the public key verifies {algorithm_for(public_key)}, "
                f"which is not among the allowed algorithms {sorted(allowed)}"
            )
        self._issuer = issuer
        self._audience = audience
        self._algorithms = allowed
        self._public_key = public_key
        self._jwks = jwt.PyJWKClient(jwks_url, timeout=JWKS_TIMEOUT_SECONDS) if jwks_url else None
        self._leeway = leeway_seconds

    @classmethod
    def from_settings(cls, settings: AuthSettings) -> Self:
        public_key = None if settings.jwks_url else resolve_public_key(settings)
        return cls(
            issuer=settings.issuer,
            audience=settings.audience,
            algorithms=settings.algorithms,
            public_key=public_key,
            jwks_url=settings.jwks_url,
            leeway_seconds=settings.leeway_seconds,
        )

    @property
    def uses_network(self) -> bool:
        return self._jwks is not None

    def verify(self, token: str) -> Principal:
        """Return the caller the token speaks for, or raise TokenVerificationError."""
        key, algorithms = self._key_for(token)
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key,
                algorithms=algorithms,
                audience=self._audience,
                issuer=self._issuer,
                leeway=self._leeway,
                # Short RSA keys can arrive through a JWKS; refuse rather than warn.
                options={"require": REQUIRED_CLAIMS, "enforce_minimum_key_length": True},
            )
        except jwt.ExpiredSignatureError as exc:
            raise TokenExpiredError("The access token has expired.") from exc
        except jwt.PyJWTError as exc:
            # PyJWT's message names the failed check, never token content: safe to log.
            logger.info("Bearer token rejected: %s: %s", type(exc).__name__, exc)
            raise TokenVerificationError("The access token is not valid.") from exc
        return principal_from_claims(claims)

    def _key_for(self, token: str) -> tuple[Any, list[str]]:
        if self._public_key is not None:
            # Pinned to the key's own algorithm, whatever the token header claims.
            return self._public_key, [algorithm_for(self._public_key)]
        if self._jwks is not None:
            return self._jwks_key_for(self._jwks, token)
        raise NoVerificationKeyError("The access token could not be verified.")

    def _jwks_key_for(self, jwks: jwt.PyJWKClient, token: str) -> tuple[Any, list[str]]:
        try:
            signing_key = jwks.get_signing_key_from_jwt(token)
        except jwt.PyJWKClientConnectionError as exc:
            logger.warning("Cannot fetch the JWKS; refusing the token: %s", exc)
            raise TokenVerificationError("The access token could not be verified.") from exc
        except jwt.PyJWTError as exc:
            logger.info("Bearer token rejected: %s: %s", type(exc).__name__, exc)
            raise TokenVerificationError("The access token is not valid.") from exc
        algorithm = signing_key.algorithm_name
        if algorithm not in self._algorithms:
            logger.info("Bearer token rejected: JWKS key uses disallowed %s", algorithm)
            raise TokenVerificationError("The access token is not valid.")
        return signing_key.key, [algorithm]
