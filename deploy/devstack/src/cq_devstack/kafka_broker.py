"""A real single-node Apache Kafka broker (KRaft) on the JVM, started from Maven Central jars,
with SASL/SCRAM users and ACLs (docs/decisions/0016)."""

import asyncio
import base64
import os
import signal
import subprocess
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from aiokafka.admin import AIOKafkaAdminClient

import cq_shared.contracts  # noqa: F401 - declares the platform's topics
from cq_devstack.kafka_jars import ensure_kafka_jars
from cq_devstack.kafka_security import (
    CLIENT_LISTENER,
    CONTROLLER_LISTENER,
    MECHANISM,
    BrokerSecurity,
)
from cq_devstack.ports import free_port, wait_for_port
from cq_shared.events.access import OPERATOR, principals
from cq_shared.events.catalogue import catalogue
from cq_shared.messaging.connection import client_options
from cq_shared.settings import KafkaSettings

READY_TIMEOUT_SECONDS = 60.0
STOP_TIMEOUT_SECONDS = 20.0

LOG4J2_PROPERTIES = """\
status = warn
appender.file.type = File
appender.file.name = file
appender.file.fileName = {log_file}
appender.file.layout.type = PatternLayout
appender.file.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.file.ref = file
logger.kafka.name = kafka
logger.kafka.level = INFO
logger.server.name = org.apache.kafka.server
logger.server.level = INFO
"""


def _random_cluster_id() -> str:
    # Kafka's Uuid.toString(): 16 random bytes, URL-safe base64 without padding. One in 64
    # starts with "-", which the storage tool's argument parser takes for an option (a
    # broker start failed that way): draw again.
    while True:
        cluster_id = base64.urlsafe_b64encode(uuid.uuid4().bytes).decode("ascii").rstrip("=")
        if not cluster_id.startswith("-"):
            return cluster_id


@dataclass
class KafkaBroker:
    """One broker that is also its own controller, on loopback ports.

    `start()` formats a fresh data directory the first time and reuses it on a restart, so a
    test can stop the broker and bring the same one back.
    """

    data_dir: Path
    port: int = field(default_factory=free_port)
    controller_port: int = field(default_factory=free_port)
    heap: str = "512m"
    # The SCRAM users clients log in as: one per service, `branch` and `operator` (super user).
    users: list[str] = field(default_factory=lambda: principals(catalogue.topics()))
    _process: subprocess.Popen[bytes] | None = None
    _formatted: bool = False
    _security: BrokerSecurity | None = None

    @property
    def bootstrap_servers(self) -> str:
        return f"127.0.0.1:{self.port}"

    @property
    def log_file(self) -> Path:
        return self.data_dir / "broker.log"

    @property
    def security(self) -> BrokerSecurity:
        """The passwords, drawn once per data directory (a restart keeps them)."""
        if self._security is None:
            self._security = BrokerSecurity.generate(self.users, super_users=(OPERATOR,))
        return self._security

    @property
    def credentials(self) -> dict[str, str]:
        """Development-only passwords of the client principals, by user name."""
        return self.security.client_passwords

    def client_environment(self, principal: str = OPERATOR) -> dict[str, str]:
        """The CQ_KAFKA_* variables with which a process reaches this broker as `principal`."""
        return {
            "CQ_KAFKA_BOOTSTRAP_SERVERS": self.bootstrap_servers,
            "CQ_KAFKA_SECURITY_PROTOCOL": "SASL_PLAINTEXT",
            "CQ_KAFKA_SASL_MECHANISM": MECHANISM,
            "CQ_KAFKA_USERNAME": principal,
            "CQ_KAFKA_PASSWORD": self.credentials[principal],
        }

    def settings(self, principal: str = OPERATOR) -> KafkaSettings:
        """Kafka settings of a client logged in as `principal` (the operator by default)."""
        return KafkaSettings.model_validate(
            {
                key.removeprefix("CQ_KAFKA_").lower(): value
                for key, value in self.client_environment(principal).items()
            }
        )

    def _properties(self) -> str:
        listeners = (
            f"{CLIENT_LISTENER}://127.0.0.1:{self.port},"
            f"{CONTROLLER_LISTENER}://127.0.0.1:{self.controller_port}"
        )
        settings = {
            "process.roles": "broker,controller",
            "node.id": "1",
            "controller.listener.names": CONTROLLER_LISTENER,
            "controller.quorum.bootstrap.servers": f"127.0.0.1:{self.controller_port}",
            "listeners": listeners,
            "advertised.listeners": f"{CLIENT_LISTENER}://127.0.0.1:{self.port}",
            **self.security.properties(),
            "log.dirs": str(self.data_dir / "kraft-logs"),
            # Topics are declared in the event catalogue and created by the services at
            # start-up (docs/decisions/0010); a typo in a topic name must not create one.
            "auto.create.topics.enable": "false",
            "offsets.topic.replication.factor": "1",
            "offsets.topic.num.partitions": "1",
            "transaction.state.log.replication.factor": "1",
            "transaction.state.log.min.isr": "1",
            "share.coordinator.state.topic.replication.factor": "1",
            "share.coordinator.state.topic.min.isr": "1",
            "group.initial.rebalance.delay.ms": "0",
            "log.cleaner.dedupe.buffer.size": "2097152",
        }
        return "".join(f"{key}={value}\n" for key, value in settings.items())

    def _java(self, main_class: str, *args: str, short_lived: bool = False) -> list[str]:
        libs = ensure_kafka_jars()
        # A one-off tool needs only the quick C1 compiler; the broker itself gets the full
        # tiered JIT: C1-only code made the broker the third-largest CPU user per journey.
        jit = ["-XX:TieredStopAtLevel=1"] if short_lived else []
        return [
            "java",
            "-Xms256m",
            f"-Xmx{self.heap}",
            "-XX:+UseSerialGC",
            *jit,
            "-Djava.awt.headless=true",
            f"-Dlog4j2.configurationFile={self.data_dir / 'log4j2.properties'}",
            "-cp",
            f"{libs}/*",
            main_class,
            *args,
        ]

    def _format(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        (self.data_dir / "server.properties").write_text(self._properties(), encoding="utf-8")
        (self.data_dir / "log4j2.properties").write_text(
            LOG4J2_PROPERTIES.format(log_file=self.log_file), encoding="utf-8"
        )
        subprocess.run(
            self._java(
                "kafka.tools.StorageTool",
                "format",
                "-t",
                _random_cluster_id(),
                "-c",
                str(self.data_dir / "server.properties"),
                "--standalone",
                *self.security.scram_arguments(),
                short_lived=True,
            ),
            check=True,
            stdout=subprocess.DEVNULL,
        )
        self._formatted = True

    def start(self) -> None:
        """Start the broker and return once it accepts connections."""
        if self._process is not None and self._process.poll() is None:
            return
        if not self._formatted:
            self._format()
        with open(self.data_dir / "stdout.log", "ab") as out:
            self._process = subprocess.Popen(
                self._java("kafka.Kafka", str(self.data_dir / "server.properties")),
                stdout=out,
                stderr=subprocess.STDOUT,
                # Own session: Ctrl-C in `make run` reaches us, and we stop the JVM in order.
                start_new_session=True,
            )
        if not wait_for_port(self.port, READY_TIMEOUT_SECONDS):
            self.stop()
            raise RuntimeError(f"Kafka did not open port {self.port}; see {self.log_file}")
        _wait_for_metadata(self.settings())

    def stop(self) -> None:
        """Stop cleanly (SIGTERM: controlled shutdown), SIGKILL after a grace period."""
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(STOP_TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def _wait_for_metadata(settings: KafkaSettings) -> None:
    """An open port is not a ready broker: wait until it answers a metadata request (as the
    operator: the SCRAM users are known once the metadata log is loaded)."""

    async def probe() -> bool:
        admin = AIOKafkaAdminClient(**client_options(settings), request_timeout_ms=3000)
        try:
            await admin.start()
            await admin.list_topics()
            return True
        except Exception:  # noqa: BLE001 - any failure means "not ready yet"
            return False
        finally:
            await admin.close()

    deadline = time.monotonic() + READY_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if asyncio.run(probe()):
            return
        time.sleep(0.2)
    raise RuntimeError(f"Kafka at {settings.bootstrap_servers} did not answer metadata requests")
