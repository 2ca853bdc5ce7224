"""`carequartier-devstack`: the local platform (`run`), infrastructure only (`infra`), and
fetching the Kafka jars ahead of time (`fetch-kafka`)."""

import argparse
import os
import shutil
import signal
import sys
import threading
import time

from cq_devstack.kafka_broker import KafkaBroker
from cq_devstack.kafka_jars import ensure_kafka_jars, kafka_version
from cq_devstack.kafka_security import MECHANISM
from cq_devstack.mail_viewer import serve_mail_viewer
from cq_devstack.paths import state_dir
from cq_devstack.services import (
    SERVICES,
    service_environment,
    start_service,
    stop_service,
    wait_until_ready,
)
from cq_devstack.stack import Infrastructure, running_infrastructure
from cq_shared.events.access import BRANCH, OPERATOR


def _port(name: str, default: int) -> int:
    return int(os.environ.get(name, default))


def _wait_for_stop() -> None:
    stop = threading.Event()
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, lambda *_: stop.set())
    stop.wait()


def _banner(infra: Infrastructure, mail_port: int | None) -> str:
    lines = [
        "",
        "CareQuartier is running (Ctrl-C stops everything).",
        f"  Kafka {kafka_version()}      {infra.kafka.bootstrap_servers}",
        f"  PostgreSQL         {infra.postgres.url('<service>')}",
    ]
    for service in SERVICES:
        lines.append(f"  {service.name:<18} {service.url}/docs")
    if mail_port is not None:
        lines.append(
            f"  mails              http://127.0.0.1:{mail_port}/  (files: {infra.smtp.maildir})"
        )
    lines += [
        "  a token            make token ROLE=coordinator SITE=kaiserslautern",
        "",
        *_kafka_access(infra),
    ]
    return "\n".join(lines)


def _kafka_access(infra: Infrastructure) -> list[str]:
    """Who may read what on the broker (docs/decisions/0016): the branch's and the operator's
    logins, which change with every fresh data directory."""
    bootstrap = infra.kafka.bootstrap_servers
    branch = infra.kafka.credentials[BRANCH]
    operator = infra.kafka.credentials[OPERATOR]
    return [
        f"Kafka logins (DEVELOPMENT ONLY, SASL_PLAINTEXT {MECHANISM}, {bootstrap}):",
        f"  {BRANCH:<18} {branch}  (declared public.* topics, groups branch.*)",
        f"  {OPERATOR:<18} {operator}  (super user: every topic)",
        "  e.g.               kcat -C -b "
        f"{bootstrap} -X security.protocol=SASL_PLAINTEXT -X sasl.mechanisms={MECHANISM} "
        f"-X sasl.username={OPERATOR} -X sasl.password={operator} -t intake.cases -e",
        "",
    ]


def run_platform(with_services: bool) -> int:
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    root = state_dir() / "run"
    ports = {
        "kafka": _port("CQ_DEVSTACK_KAFKA_PORT", 9092),
        "postgres": _port("CQ_DEVSTACK_POSTGRES_PORT", 5433),
        "smtp": _port("CQ_DEVSTACK_SMTP_PORT", 1025),
    }
    with running_infrastructure(root, durable=True, ports=ports) as infra:
        viewer = serve_mail_viewer(infra.smtp, _port("CQ_DEVSTACK_MAIL_VIEWER_PORT", 8025))
        processes = []
        try:
            if with_services:
                for service in SERVICES:
                    env = service_environment(infra, service, demo_data=True)
                    processes.append((service, start_service(service, env, echo=sys.stdout)))
                for service, process in processes:
                    wait_until_ready(service, process)
            sys.stdout.write(_banner(infra, viewer.server_address[1]) + "\n")
            sys.stdout.flush()
            _wait_for_stop()
        finally:
            sys.stdout.write("stopping...\n")
            for _, process in processes:
                stop_service(process)
            viewer.shutdown()
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="carequartier-devstack", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="Kafka, PostgreSQL, SMTP sink and the four services with demo data")
    sub.add_parser("infra", help="Kafka, PostgreSQL and the SMTP sink only")
    sub.add_parser("fetch-kafka", help="download the Kafka broker's jars into the cache")
    sub.add_parser("kafka-start-time", help="start and stop a broker, print how long it took")
    args = parser.parse_args(argv)
    if args.command == "fetch-kafka":
        sys.stdout.write(f"Kafka {kafka_version()} jars in {ensure_kafka_jars()}\n")
        return 0
    if args.command == "kafka-start-time":
        timing_dir = state_dir() / "kafka-timing"
        shutil.rmtree(timing_dir, ignore_errors=True)
        broker = KafkaBroker(timing_dir)
        started = time.monotonic()
        broker.start()
        elapsed = time.monotonic() - started
        broker.stop()
        sys.stdout.write(f"Kafka {kafka_version()} ready in {elapsed:.1f}s\n")
        return 0
    return run_platform(with_services=args.command == "run")


if __name__ == "__main__":
    raise SystemExit(main())
