"""Timer metrics. Labels are the timer's kind and a short reason: never a key or a payload."""

from typing import Final

from prometheus_client import Counter, Gauge, Histogram

from cq_shared.telemetry.registry import REGISTRY, bounded_label, service_label

# From a due time to the handler's start: milliseconds normally, the poll interval after a
# missed notification, minutes after an outage or a deployment.
_LATENESS_BUCKETS: Final = (
    0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0,
)  # fmt: skip

_FIRED: Final = Counter(
    "timers_fired_total",
    "Timers whose handler committed (the timer is gone).",
    ["service", "kind"],
    registry=REGISTRY,
)
_RETRIED: Final = Counter(
    "timers_retried_total",
    "Timer handler attempts that failed and were rescheduled with backoff.",
    ["service", "kind"],
    registry=REGISTRY,
)
_FAILED: Final = Counter(
    "timers_failed_total",
    "Timers marked failed for good (kept, never fired again), by reason.",
    ["service", "kind", "reason"],
    registry=REGISTRY,
)
_LATENESS: Final = Histogram(
    "timer_lateness_seconds",
    "Time from a timer's due time to its handler's start, by the service clock.",
    ["service"],
    buckets=_LATENESS_BUCKETS,
    registry=REGISTRY,
)
_DUE_BACKLOG: Final = Gauge(
    "timers_due_backlog",
    "Timers due but not fired yet (failed ones excluded).",
    ["service"],
    registry=REGISTRY,
)
_OLDEST_DUE_AGE: Final = Gauge(
    "timers_oldest_due_age_seconds",
    "How long the earliest due, unfired timer has been due; 0 when none is.",
    ["service"],
    registry=REGISTRY,
)


def fired(kind: str, n: int = 1) -> None:
    _FIRED.labels(service_label(), bounded_label(kind)).inc(n)


def retried(kind: str) -> None:
    _RETRIED.labels(service_label(), bounded_label(kind)).inc()


def failed(kind: str, reason: str) -> None:
    """`reason`: "handler_failed" or "unknown_kind"."""
    _FAILED.labels(service_label(), bounded_label(kind), bounded_label(reason)).inc()


def observe_lateness(seconds: float) -> None:
    _LATENESS.labels(service_label()).observe(max(0.0, seconds))


def set_due_backlog(count: int, oldest_age_seconds: float) -> None:
    service = service_label()
    _DUE_BACKLOG.labels(service).set(count)
    _OLDEST_DUE_AGE.labels(service).set(max(0.0, oldest_age_seconds))
