import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider

from cq_shared.telemetry import TelemetrySettings, setup_logging
from cq_shared.telemetry.logging import QUIET_CLIENT_LOGGERS, UVICORN_LOGGERS, AccessLogSanitizer


@pytest.fixture
def restore_logging() -> Iterator[None]:
    # setup_logging reconfigures process-wide loggers; put them back for other tests.
    names = (*UVICORN_LOGGERS, *QUIET_CLIENT_LOGGERS)
    loggers = [logging.getLogger(), *(logging.getLogger(name) for name in names)]
    saved = [(lg, list(lg.handlers), list(lg.filters), lg.level, lg.propagate) for lg in loggers]
    yield
    for lg, handlers, filters, level, propagate in saved:
        lg.handlers[:] = handlers
        lg.filters[:] = filters
        lg.setLevel(level)
        lg.propagate = propagate


@pytest.fixture
def log_stream(restore_logging: None) -> io.StringIO:
    stream = io.StringIO()
    setup_logging(TelemetrySettings(service_name="intake", log_level="debug"), stream=stream)
    return stream


def _lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_log_line_carries_the_current_span_ids(
    log_stream: io.StringIO, provider: TracerProvider
) -> None:
    with provider.get_tracer("test").start_as_current_span("handle") as span:
        logging.getLogger("cq.intake.handler").info("referral accepted")

    (line,) = _lines(log_stream)
    ctx = span.get_span_context()
    assert line["trace_id"] == format(ctx.trace_id, "032x")
    assert line["span_id"] == format(ctx.span_id, "016x")
    assert line["service"] == "intake"
    assert line["message"] == "referral accepted"
    assert line["level"] == "INFO"
    assert line["name"] == "cq.intake.handler"
    assert "timestamp" in line


def test_log_line_outside_a_span_has_null_ids(log_stream: io.StringIO) -> None:
    logging.getLogger("cq.intake").warning("no span here")

    (line,) = _lines(log_stream)
    assert line["trace_id"] is None
    assert line["span_id"] is None


def test_payload_extras_are_dropped_and_other_extras_kept(log_stream: io.StringIO) -> None:
    logging.getLogger("cq.intake").info(
        "event handled",
        extra={
            "payload": {"name": "Erika Mustermann", "diagnosis": "F32.1"},
            "body": "Erika Mustermann",
            "data": ["F32.1"],
            "event_type": "ReferralCreated",
        },
    )

    raw = log_stream.getvalue()
    (line,) = _lines(log_stream)
    assert "Erika" not in raw
    assert "F32.1" not in raw
    assert {"payload", "body", "data"}.isdisjoint(line)
    assert line["event_type"] == "ReferralCreated"


def test_repeated_setup_replaces_its_own_handler(log_stream: io.StringIO) -> None:
    second = io.StringIO()
    setup_logging(TelemetrySettings(service_name="intake"), stream=second)
    logging.getLogger("cq").info("once")

    assert log_stream.getvalue() == ""
    assert len(_lines(second)) == 1


def test_uvicorn_logs_go_through_root_without_client_or_query(
    log_stream: io.StringIO,
) -> None:
    access = logging.getLogger("uvicorn.access")
    access.info(
        '%s - "%s %s HTTP/%s" %d',
        "198.51.100.4:51234",
        "GET",
        "/referrals?name=Erika",
        "1.1",
        200,
    )
    logging.getLogger("uvicorn.error").info(
        "Started server process [%d]", 42, extra={"color_message": "\x1b[36m%d\x1b[0m"}
    )

    access_line, error_line = _lines(log_stream)
    assert access_line["name"] == "uvicorn.access"
    assert access_line["message"] == '- - "GET /referrals HTTP/1.1" 200'
    assert sum(isinstance(f, AccessLogSanitizer) for f in access.filters) == 1
    assert error_line["message"] == "Started server process [42]"
    assert "color_message" not in error_line


def test_plain_text_logs_also_carry_trace_ids(
    restore_logging: None, provider: TracerProvider
) -> None:
    stream = io.StringIO()
    setup_logging(TelemetrySettings(service_name="intake", json_logs=False), stream=stream)
    with provider.get_tracer("test").start_as_current_span("handle") as span:
        logging.getLogger("cq").info("plain")

    text = stream.getvalue()
    assert f"trace_id={span.get_span_context().trace_id:032x}" in text
    assert "service=intake" in text
    assert text.rstrip().endswith("plain")


def test_http_client_request_lines_with_urls_are_not_logged(log_stream: io.StringIO) -> None:
    """httpx logs each request's URL at INFO; a webhook receiver's URL may hold its token."""
    logging.getLogger("httpx").info(
        'HTTP Request: POST https://branch.example/hook?token=s3cret "HTTP/1.1 204"'
    )
    logging.getLogger("httpx").warning("a warning without a URL of ours")

    [line] = _lines(log_stream)
    assert line["message"] == "a warning without a URL of ours"
    assert "s3cret" not in log_stream.getvalue()
