"""Small helpers for rates and percentiles."""

import statistics
from dataclasses import dataclass, field
from typing import Any


def percentile(samples: list[float], q: float) -> float:
    """The q-th percentile (0..100) by linear interpolation; 0.0 for no samples."""
    if not samples:
        return 0.0
    ordered = sorted(samples)
    position = (len(ordered) - 1) * q / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def latency_summary(seconds: list[float]) -> dict[str, float]:
    millis = [s * 1000 for s in seconds]
    return {
        "p50_ms": round(percentile(millis, 50), 2),
        "p95_ms": round(percentile(millis, 95), 2),
        "p99_ms": round(percentile(millis, 99), 2),
        "mean_ms": round(statistics.fmean(millis), 2) if millis else 0.0,
        "samples": len(millis),
    }


@dataclass
class Section:
    """One benchmark's figures, its baseline and the ratio between them."""

    name: str
    figures: dict[str, Any] = field(default_factory=dict)
    samples: dict[str, list[float]] = field(default_factory=dict)  # for the chart
