"""Wiring authentication into a FastAPI app."""

from fastapi import FastAPI

from cq_shared.auth.settings import AuthSettings
from cq_shared.auth.verifier import TokenVerifier
from cq_shared.errors import DomainError
from cq_shared.http.problems import install_problem_handlers


def install_auth(app: FastAPI, settings: AuthSettings | None = None) -> TokenVerifier:
    """Put a TokenVerifier on ``app.state.token_verifier`` for the auth dependencies.

    Settings default to the environment (``CQ_AUTH_*``). A configured but unusable key
    raises here, at start-up. Tests may instead assign their own ``TokenVerifier`` to
    ``app.state.token_verifier``.
    """
    verifier = TokenVerifier.from_settings(settings or AuthSettings())
    app.state.token_verifier = verifier
    if DomainError not in app.exception_handlers:
        # Without the handler, our 401/403 would surface as 500s.
        install_problem_handlers(app)
    return verifier
