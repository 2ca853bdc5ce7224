"""The run's JSON file, its printed table and its PNG chart."""

import json
import time
from pathlib import Path
from typing import Any

from bench.figures import Section


def table(sections: list[Section]) -> str:
    lines = [f"{'benchmark':<24} {'figure':<26} {'value':>14}"]
    lines.append("-" * len(lines[0]))
    for section in sections:
        for key, value in section.figures.items():
            lines.append(f"{section.name:<24} {key:<26} {value!s:>14}")
    return "\n".join(lines)


def write_report(
    sections: list[Section], environment: dict[str, str], out: Path, *, quick: bool
) -> str:
    out.mkdir(parents=True, exist_ok=True)
    stamp = time.strftime("%Y%m%dT%H%M%S")
    kind = "quick" if quick else "full"
    document: dict[str, Any] = {
        "environment": environment,
        "mode": kind,
        "sections": {section.name: section.figures for section in sections},
    }
    (out / f"bench-{kind}-{stamp}.json").write_text(
        json.dumps(document, indent=2), encoding="utf-8"
    )
    draw_chart(sections, out / f"bench-{kind}-{stamp}.png")
    return table(sections)


def draw_chart(sections: list[Section], path: Path) -> None:
    import matplotlib
    import numpy as np

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    with_ratio = [s for s in sections if "ratio" in s.figures]
    with_samples = [
        (s, name, values) for s in sections for name, values in s.samples.items() if values
    ]
    figure, axes = plt.subplots(1, 2, figsize=(12, 4.5))
    names = [s.name.replace(" ", "\n", 1) for s in with_ratio]
    axes[0].bar(names, [s.figures["events_per_s"] for s in with_ratio], label="platform")
    axes[0].bar(
        names,
        [s.figures["baseline_events_per_s"] for s in with_ratio],
        fill=False,
        edgecolor="black",
        label="baseline (same run)",
    )
    # Log scale: journeys/s and Kafka events/s differ by three orders of magnitude.
    axes[0].set_yscale("log")
    axes[0].set_ylabel("per second (log scale)")
    axes[0].set_title("Throughput against baseline")
    axes[0].legend()
    # Log scale: a Kafka round trip (ms) and a queued journey (s) must both be readable.
    everything = [v for _, _, values in with_samples for v in values if v > 0]
    if everything:
        bins = np.logspace(np.log10(min(everything)), np.log10(max(everything)), 50)
        for section, name, values in with_samples:
            axes[1].hist(values, bins=bins, alpha=0.6, label=f"{section.name}: {name}")
        axes[1].set_xscale("log")
    axes[1].set_xlabel("milliseconds (log scale)")
    axes[1].set_title("Latency distribution")
    if with_samples:
        axes[1].legend()
    figure.tight_layout()
    figure.savefig(path, dpi=100)
    plt.close(figure)
