"""Messaging metrics (publish, consume, retry, dead-letter, outbox) and their scrape
endpoint.

Labels are low-cardinality identifiers only: service, topic, event_type, consumer,
outcome, reason. Never an event id, aggregate id or anything taken from a payload.
See ``registry`` for why prometheus_client is used directly.
"""

from __future__ import annotations

from typing import Final, Literal, get_args

from fastapi import APIRouter, Request, Response
from prometheus_client import Counter, Gauge, Histogram
from prometheus_client.exposition import choose_encoder

from cq_shared.telemetry.registry import (
    INVALID_LABEL,
    REGISTRY,
    bounded_label,
    service_label,
    set_service_label,
)

__all__ = [
    "REGISTRY",
    "ConsumeOutcome",
    "MessagingMetrics",
    "configure_metrics",
    "messaging_metrics",
    "metrics_endpoint",
    "metrics_router",
]

# "ignored": a known event type the consumer has no handler for (used by the inbox).
ConsumeOutcome = Literal["processed", "deduplicated", "dead_lettered", "ignored", "not_served"]
_OUTCOMES: Final[frozenset[str]] = frozenset(get_args(ConsumeOutcome))

# Handlers are database transactions: milliseconds normally, seconds when contended.
_HANDLER_BUCKETS: Final = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)
# Commit-to-ack includes relay polling and a backlog after a broker outage: minutes.
_PUBLISH_BUCKETS: Final = (
    0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0, 600.0,
)  # fmt: skip

_EVENTS_PUBLISHED: Final = Counter(
    "events_published_total",
    "Events acknowledged by the broker after leaving the outbox.",
    ["service", "topic", "event_type"],
    registry=REGISTRY,
)
_EVENTS_CONSUMED: Final = Counter(
    "events_consumed_total",
    "Events a consumer finished with, by outcome.",
    ["service", "topic", "consumer", "outcome"],
    registry=REGISTRY,
)
_HANDLER_DURATION: Final = Histogram(
    "handler_duration_seconds",
    "Time a consumer's handler took for one event, including its transaction.",
    ["service", "consumer", "event_type"],
    buckets=_HANDLER_BUCKETS,
    registry=REGISTRY,
)
_OUTBOX_BACKLOG: Final = Gauge(
    "outbox_backlog",
    "Outbox rows written but not yet acknowledged by the broker.",
    ["service"],
    registry=REGISTRY,
)
_OUTBOX_OLDEST_AGE: Final = Gauge(
    "outbox_oldest_age_seconds",
    "Age of the oldest unpublished outbox row; 0 when the outbox is empty.",
    ["service"],
    registry=REGISTRY,
)
_HANDLER_RETRIES: Final = Counter(
    "handler_retries_total",
    "Handler attempts that failed and will be retried.",
    ["service", "consumer", "event_type"],
    registry=REGISTRY,
)
_DEAD_LETTERED: Final = Counter(
    "dead_lettered_total",
    "Events moved to a dead-letter topic, by reason.",
    ["service", "topic", "reason"],
    registry=REGISTRY,
)
_REDELIVERIES_DEDUPLICATED: Final = Counter(
    "redeliveries_deduplicated_total",
    "Redelivered events skipped because the inbox had already processed them.",
    ["service", "consumer"],
    registry=REGISTRY,
)
_PUBLISH_LATENCY: Final = Histogram(
    "outbox_publish_latency_seconds",
    "Time from the outbox row's commit to the broker's acknowledgement.",
    ["service"],
    buckets=_PUBLISH_BUCKETS,
    registry=REGISTRY,
)


class MessagingMetrics:
    """Records messaging metrics under the service named by ``configure_metrics``.

    Stateless over module-level instruments (a metric name can be registered once per
    registry), so one instance per process is all there is; use ``messaging_metrics()``.
    Label values that are not identifier-shaped are recorded as ``invalid`` instead of
    raising: a metrics call must never fail the message it is counting.
    """

    def published(self, topic: str, event_type: str, n: int = 1) -> None:
        _EVENTS_PUBLISHED.labels(
            service_label(), bounded_label(topic), bounded_label(event_type)
        ).inc(n)

    def consumed(self, topic: str, consumer: str, outcome: str, n: int = 1) -> None:
        """``outcome`` is one of ``ConsumeOutcome``; typed ``str`` so that a ``StrEnum``
        with those values can be passed as is."""
        outcome_label = str(outcome) if outcome in _OUTCOMES else INVALID_LABEL
        _EVENTS_CONSUMED.labels(
            service_label(), bounded_label(topic), bounded_label(consumer), outcome_label
        ).inc(n)

    def observe_handler(self, consumer: str, event_type: str, seconds: float, n: int = 1) -> None:
        """``n`` events that took ``seconds`` each (a batch's share per event)."""
        child = _HANDLER_DURATION.labels(
            service_label(), bounded_label(consumer), bounded_label(event_type)
        )
        for _ in range(n):
            child.observe(seconds)

    def set_outbox_state(self, backlog: int, oldest_age_seconds: float) -> None:
        service = service_label()
        _OUTBOX_BACKLOG.labels(service).set(backlog)
        _OUTBOX_OLDEST_AGE.labels(service).set(oldest_age_seconds)

    def retried(self, consumer: str, event_type: str) -> None:
        _HANDLER_RETRIES.labels(
            service_label(), bounded_label(consumer), bounded_label(event_type)
        ).inc()

    def dead_lettered(self, topic: str, reason: str) -> None:
        # reason is a short code (e.g. "handler_error", "schema_invalid"), never the
        # exception text: that routinely quotes the offending input.
        _DEAD_LETTERED.labels(service_label(), bounded_label(topic), bounded_label(reason)).inc()

    def deduplicated(self, consumer: str, n: int = 1) -> None:
        _REDELIVERIES_DEDUPLICATED.labels(service_label(), bounded_label(consumer)).inc(n)

    def observe_publish_latency(self, seconds: float) -> None:
        _PUBLISH_LATENCY.labels(service_label()).observe(seconds)


_MESSAGING_METRICS: Final = MessagingMetrics()


def messaging_metrics() -> MessagingMetrics:
    return _MESSAGING_METRICS


def configure_metrics(service_name: str) -> MessagingMetrics:
    """Set the ``service`` label for every series this process records from now on."""
    set_service_label(service_name)
    return _MESSAGING_METRICS


async def metrics_endpoint(request: Request) -> Response:
    """The registry in whichever exposition format the scraper asks for."""
    encoder, content_type = choose_encoder(request.headers.get("accept", ""))
    return Response(content=encoder(REGISTRY), media_type=content_type)


# Kept out of the OpenAPI schema: it is an operations endpoint, not part of the API
# contract that clients and contract tests consume.
metrics_router: Final = APIRouter()
metrics_router.add_api_route("/metrics", metrics_endpoint, methods=["GET"], include_in_schema=False)
