"""Scrub personal data that the ASGI instrumentation records on server spans.

The instrumentation copies the full URL including the query string (``http.url``,
``url.full``, ``url.query``) and the client address onto every server span. Query
strings can carry names or birth dates and a client IP is personal data, so both are
overwritten before the span is exported. The route template and path stay.
"""

from __future__ import annotations

from typing import Any, Final

from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.trace import Span

REDACTED: Final = "[redacted]"

_URL_ATTRIBUTES: Final = ("http.url", "url.full")
# Old and stable semantic-convention names: which are set depends on
# OTEL_SEMCONV_STABILITY_OPT_IN, so cover both.
_REDACTED_ATTRIBUTES: Final = ("url.query", "net.peer.ip", "client.address")


def redact_server_span(span: Span, scope: dict[str, Any]) -> None:
    """``server_request_hook`` for the ASGI/FastAPI instrumentation."""
    # Only SDK spans expose the attributes already set; others record nothing anyway.
    if not span.is_recording() or not isinstance(span, ReadableSpan):
        return
    attributes = span.attributes or {}
    for key in _URL_ATTRIBUTES:
        value = attributes.get(key)
        if isinstance(value, str) and "?" in value:
            span.set_attribute(key, value.split("?", 1)[0])
    for key in _REDACTED_ATTRIBUTES:
        if key in attributes:
            span.set_attribute(key, REDACTED)
