import io
import json
import logging
from collections.abc import Iterator
from typing import Any

import pytest
from opentelemetry.sdk.trace import TracerProvider

from cq_shared.telemetry import TelemetrySettings, setup_logging
from cq_shared.telemetry.logging import UVICORN_LOGGERS, AccessLogSanitizer


@pytest.fixture
def log_stream() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved_root = (list(root.handlers), root.level)
    saved_uvicorn = {
        name: (list(lg.handlers), lg.propagate, list(lg.filters))
        for name in UVICORN_LOGGERS
        for lg in [logging.getLogger(name)]
    }
    stream = io.StringIO()
    setup_logging(TelemetrySettings(service_name="intake", log_level="debug"), stream=stream)
    yield stream
    root.handlers[:] = saved_root[0]
    root.setLevel(saved_root[1])
    for name, (handlers, propagate, filters) in saved_uvicorn.items():
        lg = logging.getLogger(name)
        lg.handlers[:], lg.propagate, lg.filters[:] = handlers, propagate, filters


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


def test_uvicorn_access_log_goes_through_root_without_client_or_query(
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

    (line,) = _lines(log_stream)
    assert line["name"] == "uvicorn.access"
    assert line["message"] == '- - "GET /referrals HTTP/1.1" 200'
    assert sum(isinstance(f, AccessLogSanitizer) for f in access.filters) == 1


def test_plain_text_logs_also_carry_trace_ids(provider: TracerProvider) -> None:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    stream = io.StringIO()
    try:
        setup_logging(TelemetrySettings(json_logs=False), stream=stream)
        with provider.get_tracer("test").start_as_current_span("handle") as span:
            logging.getLogger("cq").info("plain")
    finally:
        root.handlers[:], _ = saved
        root.setLevel(saved[1])

    assert f"trace_id={span.get_span_context().trace_id:032x}" in stream.getvalue()


def test_unknown_log_level_is_rejected() -> None:
    with pytest.raises(ValueError, match="unknown log level"):
        TelemetrySettings(log_level="verbose")
