"""Structured logging: one JSON object per line on stdout, correlated with traces.

Payload rule: health data flows through this platform, so message payloads, request
bodies and personal data are never logged, neither as ``extra`` fields nor as ``%s``
arguments nor inside exception messages (a pydantic ``ValidationError`` quotes its
input). Log identifiers and outcomes: event type, topic, consumer, status.

Filtering formatted messages for personal data cannot work reliably, so the rule is
enforced at the call sites. Two filters are defence in depth only: one drops ``extra``
keys that by name hold content (``payload``, ``body``, ``data``), the other removes
client addresses and query strings from uvicorn's access log.

Uvicorn: ``setup_logging`` routes its loggers to the root handler. Under the uvicorn
CLI the app module is imported after uvicorn configured logging, so this wins; when
calling ``uvicorn.run(app)`` programmatically, pass ``log_config=None`` or uvicorn
reinstalls its own handlers.
"""

from __future__ import annotations

import logging
import sys
from typing import Final, TextIO

from opentelemetry import trace
from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter

from cq_shared.telemetry.settings import TelemetrySettings

REDACTED_EXTRA_KEYS: Final = frozenset({"payload", "body", "data"})
UVICORN_LOGGERS: Final = ("uvicorn", "uvicorn.error", "uvicorn.access")
_ACCESS_ARGS: Final = 5  # client_addr, method, path with query, http version, status
_PLAIN_FORMAT: Final = (
    "%(asctime)s %(levelname)s %(name)s [service=%(service)s trace_id=%(trace_id)s "
    "span_id=%(span_id)s] %(message)s"
)


class TraceContextFilter(logging.Filter):
    """Adds ``service``, ``trace_id`` and ``span_id`` (hex, None outside a span)."""

    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def filter(self, record: logging.LogRecord) -> bool:
        # Handler filters run in the logging thread, so the current span is the caller's.
        context = trace.get_current_span().get_span_context()
        record.service = self._service
        record.trace_id = format(context.trace_id, "032x") if context.is_valid else None
        record.span_id = format(context.span_id, "016x") if context.is_valid else None
        return True


class RedactPayloadFilter(logging.Filter):
    """Removes ``extra`` keys named like content; the record is still logged."""

    def filter(self, record: logging.LogRecord) -> bool:
        for key in REDACTED_EXTRA_KEYS:
            record.__dict__.pop(key, None)
        return True


class AccessLogSanitizer(logging.Filter):
    """Strips the client address and query string from uvicorn access records.

    Query strings can carry names or dates of birth and an IP address is personal data.
    Attached to the ``uvicorn.access`` logger itself, so it also applies if uvicorn's
    own handlers are in use.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        args = record.args
        if isinstance(args, tuple) and len(args) == _ACCESS_ARGS:
            _client, method, path, http_version, status = args
            record.args = ("-", method, str(path).split("?", 1)[0], http_version, status)
        return True


class _TelemetryHandler(logging.StreamHandler[TextIO]):
    """Marks the handler ``setup_logging`` installed, so a repeat call replaces it."""


QUIET_CLIENT_LOGGERS = ("httpx", "httpcore")


def setup_logging(settings: TelemetrySettings, *, stream: TextIO | None = None) -> logging.Handler:
    """Configure the root logger; returns the installed handler.

    Idempotent: a repeat call replaces the handler of the previous one and leaves any
    other root handler (pytest's capture, say) alone. ``stream`` defaults to stdout.
    """
    handler = _TelemetryHandler(stream if stream is not None else sys.stdout)
    handler.setFormatter(_formatter(settings))
    # On the handler, not the root logger: logger filters skip propagated records.
    handler.addFilter(RedactPayloadFilter())
    handler.addFilter(TraceContextFilter(settings.service_name))

    root = logging.getLogger()
    for existing in [h for h in root.handlers if isinstance(h, _TelemetryHandler)]:
        root.removeHandler(existing)
    root.addHandler(handler)
    root.setLevel(settings.log_level.upper())

    for name in UVICORN_LOGGERS:
        uvicorn_logger = logging.getLogger(name)
        uvicorn_logger.handlers.clear()
        uvicorn_logger.propagate = True
    access_logger = logging.getLogger("uvicorn.access")
    if not any(isinstance(f, AccessLogSanitizer) for f in access_logger.filters):
        access_logger.addFilter(AccessLogSanitizer())
    # httpx logs every request's full URL at INFO: a webhook receiver's URL may carry its
    # token in the query. Warnings and errors (without URLs of ours) still come through.
    for name in QUIET_CLIENT_LOGGERS:
        logging.getLogger(name).setLevel(logging.WARNING)
    return handler


def _formatter(settings: TelemetrySettings) -> logging.Formatter:
    if not settings.json_logs:
        return logging.Formatter(_PLAIN_FORMAT)
    # Attributes set by filters or ``extra`` (trace_id, span_id, service, event_type...)
    # are added to the object automatically; only the standard ones are listed.
    # uvicorn's ``color_message`` extra repeats ``message`` with ANSI escapes.
    return JsonFormatter(
        ["levelname", "name", "message"],
        rename_fields={"levelname": "level"},
        reserved_attrs=[*RESERVED_ATTRS, "color_message"],
        timestamp=True,
    )
