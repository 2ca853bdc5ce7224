"""Retention metrics. The only label besides the service is the table's name."""

from typing import Final

from prometheus_client import Counter

from cq_shared.telemetry.registry import REGISTRY, bounded_label, service_label

_PRUNED: Final = Counter(
    "retention_pruned_rows_total",
    "Rows deleted by the retention pruner, by table (outbox, inbox, timers).",
    ["service", "table"],
    registry=REGISTRY,
)


def pruned(table: str, n: int) -> None:
    if n:
        _PRUNED.labels(service_label(), bounded_label(table)).inc(n)
