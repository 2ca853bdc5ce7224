"""HTTP request rate and latency by route template, as a plain ASGI middleware.

Labels are bounded by construction: the route template (``/referrals/{referral_id}``),
never the raw path, a fixed set of methods and the status code. Requests that match no
route share one ``unmatched`` label, so scanners probing random paths add no series.
"""

from __future__ import annotations

import time
from typing import Final

from fastapi import FastAPI
from prometheus_client import Histogram
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from cq_shared.telemetry.registry import REGISTRY, service_label
from cq_shared.telemetry.tracing import EXCLUDED_URLS

UNMATCHED_ROUTE: Final = "unmatched"
OTHER_METHOD: Final = "_OTHER"
_KNOWN_METHODS: Final = frozenset(
    {"GET", "HEAD", "POST", "PUT", "DELETE", "CONNECT", "OPTIONS", "TRACE", "PATCH"}
)
_SERVER_ERROR: Final = 500

# One histogram, no separate counter: its _count series is the request rate.
HTTP_REQUEST_DURATION: Final = Histogram(
    "http_server_request_duration_seconds",
    "Time from receiving a request to the end of its response.",
    ["service", "method", "route", "status_code"],
    registry=REGISTRY,
)


class HttpMetricsMiddleware:
    """Records ``http_server_request_duration_seconds`` for every HTTP request."""

    def __init__(
        self, app: ASGIApp, excluded_paths: frozenset[str] = frozenset(EXCLUDED_URLS)
    ) -> None:
        self._app = app
        # Same exclusions as tracing: probe traffic would dominate rate and latency.
        self._excluded_paths = excluded_paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("path") in self._excluded_paths:
            await self._app(scope, receive, send)
            return

        status_code = _SERVER_ERROR  # if the app raises before responding
        started = time.perf_counter()

        async def send_capturing_status(message: Message) -> None:
            nonlocal status_code
            if message["type"] == "http.response.start":
                status_code = int(message["status"])
            await send(message)

        try:
            await self._app(scope, receive, send_capturing_status)
        finally:
            HTTP_REQUEST_DURATION.labels(
                service_label(), _method(scope), _route_template(scope), str(status_code)
            ).observe(time.perf_counter() - started)


def _method(scope: Scope) -> str:
    method = str(scope.get("method", "")).upper()
    return method if method in _KNOWN_METHODS else OTHER_METHOD


def _route_template(scope: Scope) -> str:
    # Starlette's router stores the matched route in the (shared, mutable) scope while
    # routing, so it is there once the app has returned.
    path = getattr(scope.get("route"), "path", None)
    return path if isinstance(path, str) and path else UNMATCHED_ROUTE


def instrument_http_metrics(app: FastAPI) -> None:
    """Add the middleware; call before the app starts serving."""
    app.add_middleware(HttpMetricsMiddleware)
