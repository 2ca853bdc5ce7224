"""The one entry point `make run`, the test fixtures and the benchmarks use for infrastructure."""

import asyncio
import shutil
import tempfile
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import cq_shared.contracts  # noqa: F401 - declares the platform's topics
from cq_devstack.kafka_acls import apply_grants
from cq_devstack.kafka_broker import KafkaBroker
from cq_devstack.ports import free_port
from cq_devstack.postgres_server import PostgresServer
from cq_devstack.smtp_sink import SmtpSink
from cq_shared.events.access import grants
from cq_shared.events.catalogue import catalogue

SERVICE_DATABASES = ("intake", "scheduling", "volunteering", "notifications")


@dataclass
class Infrastructure:
    """A running broker, database server and mail sink, plus what a process needs to reach them."""

    kafka: KafkaBroker
    postgres: PostgresServer
    smtp: SmtpSink

    def database_url(self, database: str) -> str:
        return self.postgres.url(database)

    def create_database(self, name: str) -> None:
        asyncio.run(self.postgres.create_database(name))

    def environment(self, database: str) -> dict[str, str]:
        """Environment variables a service process reads (see cq_shared settings). The
        service, named by its database (`scheduling` or `scheduling_ab12cd`), reaches the
        broker as its own principal, with only the grants its declared topics give it."""
        service = database.split("_", 1)[0]
        return {
            **self.kafka.client_environment(service),
            "CQ_DATABASE_URL": self.database_url(database),
            "CQ_SMTP_HOST": "127.0.0.1",
            "CQ_SMTP_PORT": str(self.smtp.port),
        }


@contextmanager
def running_infrastructure(
    state: Path | None = None,
    *,
    durable: bool = True,
    databases: tuple[str, ...] = SERVICE_DATABASES,
    ports: dict[str, int] | None = None,
) -> Iterator[Infrastructure]:
    """Start Kafka and PostgreSQL with fresh data directories; stop both on exit.

    Both start in parallel: the JVM's start-up dominates and PostgreSQL needs under a second.
    """
    owned = state is None
    root = Path(tempfile.mkdtemp(prefix="carequartier-")) if state is None else state
    if not owned:
        shutil.rmtree(root, ignore_errors=True)
    root.mkdir(parents=True, exist_ok=True)
    chosen = ports or {}
    kafka = KafkaBroker(root / "kafka", port=chosen.get("kafka") or free_port())
    postgres = PostgresServer(
        root / "postgres", durable=durable, port=chosen.get("postgres") or free_port()
    )
    smtp = SmtpSink(root / "mail", port=chosen.get("smtp") or free_port())
    infra = Infrastructure(kafka=kafka, postgres=postgres, smtp=smtp)
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            started = [pool.submit(kafka.start), pool.submit(postgres.start)]
            for future in started:
                future.result()
        asyncio.run(apply_grants(kafka.settings(), grants(catalogue.topics())))
        for name in databases:
            infra.create_database(name)
        smtp.start()
        yield infra
    finally:
        smtp.stop()
        kafka.stop()
        postgres.stop()
        if owned:
            shutil.rmtree(root, ignore_errors=True)
