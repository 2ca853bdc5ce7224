"""FastAPI dependencies: who is calling (401) and may they do this (403)."""

import logging
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.concurrency import run_in_threadpool

from cq_shared.auth.errors import TokenVerificationError
from cq_shared.auth.principal import Principal
from cq_shared.auth.roles import KNOWN_ROLES
from cq_shared.auth.verifier import TokenVerifier
from cq_shared.http.problems import ProblemError

logger = logging.getLogger(__name__)

# auto_error=False: a missing header must become our 401 problem, not FastAPI's JSON.
# Declaring the scheme also gives the OpenAPI document its bearer security scheme.
_bearer = HTTPBearer(auto_error=False, bearerFormat="JWT")


def _unauthenticated(detail: str, *, invalid_token: bool) -> ProblemError:
    # RFC 6750 section 3: no error code when no credentials were sent at all.
    challenge = 'Bearer error="invalid_token"' if invalid_token else "Bearer"
    return ProblemError(401, detail=detail, headers={"WWW-Authenticate": challenge})


async def current_principal(
    request: Request,
    credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)],
) -> Principal:
    """The verified caller; 401 for a missing, malformed, forged or expired token."""
    if credentials is None:
        # Also a non-Bearer scheme or an empty token: RFC 6750 treats those as "no token".
        raise _unauthenticated("A bearer token is required.", invalid_token=False)
    verifier = getattr(request.app.state, "token_verifier", None)
    if not isinstance(verifier, TokenVerifier):
        # Deny by default: a service that never called install_auth authenticates nobody.
        logger.error("No TokenVerifier on app.state; call install_auth(app). Refusing.")
        raise _unauthenticated("The access token could not be verified.", invalid_token=True)
    token = credentials.credentials
    try:
        if verifier.uses_network:
            # A JWKS fetch blocks; keep it off the event loop.
            return await run_in_threadpool(verifier.verify, token)
        return verifier.verify(token)
    except TokenVerificationError as exc:
        raise _unauthenticated(str(exc), invalid_token=True) from exc


CurrentPrincipal = Annotated[Principal, Depends(current_principal)]


def require_roles(*roles: str) -> Callable[[Principal], Awaitable[Principal]]:
    """A dependency admitting callers with at least one of ``roles``; others get 403.

    Unknown role names are rejected here, at import time of the route module: a typo
    would otherwise quietly lock everyone out.
    """
    if not roles:
        raise ValueError("require_roles needs at least one role")
    unknown = sorted(set(roles) - KNOWN_ROLES)
    if unknown:
        raise ValueError(f"unknown roles {unknown}; known: {sorted(KNOWN_ROLES)}")
    wanted = frozenset(roles)
    detail = f"This action requires one of the roles: {', '.join(sorted(wanted))}."

    async def principal_with_role(principal: CurrentPrincipal) -> Principal:
        if not principal.has_any_role(*wanted):
            raise ProblemError(403, detail=detail)
        return principal

    return principal_with_role
