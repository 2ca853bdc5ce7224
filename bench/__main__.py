"""`python -m bench [--quick]`: run the benchmarks, print the table, write JSON and a chart."""

import argparse
import os
import sys
from pathlib import Path

from bench.report import write_report
from bench.runner import environment, run_all
from cq_devstack.stack import running_infrastructure
from cq_shared.service.gc_tuning import tune_garbage_collector


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="seconds-long smoke run")
    parser.add_argument("--out", type=Path, default=Path("bench/results"))
    args = parser.parse_args(argv)
    with running_infrastructure(durable=True) as infra:
        # The benchmarks' own clients log in as the operator (they make throw-away topics and
        # groups); the service processes of the journey get their own principals.
        os.environ.update(infra.kafka.client_environment())
        # The relay and inbox run in this process: tune it as a service process is tuned.
        tune_garbage_collector()
        sections = run_all(infra, quick=args.quick)
    table = write_report(sections, environment(), args.out, quick=args.quick)
    sys.stdout.write(table + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
