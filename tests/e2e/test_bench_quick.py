"""`make bench QUICK=1` as part of the suite, so the benchmarks never rot. It asserts that every
figure was measured and written, nothing about speed."""

import json
from pathlib import Path

from bench.report import write_report
from bench.runner import environment, run_all

from cq_devstack.platform import Platform
from cq_devstack.stack import Infrastructure


def test_quick_benchmarks_measure_every_figure_and_write_the_report(
    infrastructure: Infrastructure, platform: Platform, tmp_path: Path
) -> None:
    # The journeys run on the suite's platform: a second one would share its consumer groups.
    sections = run_all(infrastructure, quick=True, platform=platform)
    table = write_report(sections, environment(), tmp_path, quick=True)

    names = {section.name for section in sections}
    assert {
        "raw producer",
        "raw consumer",
        "outbox relay",
        "outbox commit-to-ack",
        "inbox consumer",
        "inbox per-event handler",
        "timers fired",
        "timer lateness",
        "FastStream batched echo",
        "effectively-once hop",
        "erasure to complete",
        "course cancellation to promotion mail",
        "course registrations at saturation",
    } <= names
    promotion = next(s for s in sections if s.name == "course cancellation to promotion mail")
    assert promotion.figures["mails_sent"] == promotion.figures["cancellations"] > 0
    for section in sections:
        if "ratio" in section.figures:
            assert section.figures["events_per_s"] > 0
            assert section.figures["baseline_events_per_s"] > 0
    [report] = tmp_path.glob("bench-quick-*.json")
    document = json.loads(report.read_text())
    assert document["environment"]["kafka"]
    assert set(document["sections"]) == names
    [chart] = tmp_path.glob("bench-quick-*.png")
    assert chart.stat().st_size > 1000
    assert "outbox relay" in table
