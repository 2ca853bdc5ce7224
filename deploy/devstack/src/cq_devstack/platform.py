"""The four services as separate processes on given infrastructure, each on a fresh database
and a free port: what the end-to-end tests and the journey benchmark run against."""

import asyncio
import uuid
from dataclasses import dataclass, field
from email.message import EmailMessage
from pathlib import Path
from subprocess import Popen

from cq_devstack.kafka_offsets import skip_to_end
from cq_devstack.ports import free_port
from cq_devstack.services import (
    SERVICES,
    ServiceDef,
    service_environment,
    start_service,
    stop_service,
    wait_until_ready,
)
from cq_devstack.stack import Infrastructure
from cq_devstack.token import mint_token
from cq_shared.events.catalogue import catalogue
from cq_shared.messaging.groups import consumer_group

# Every declared topic (the public ones too: the webhook fan-out reads them).
TOPICS = [topic.name for topic in catalogue.topics()]
# The services' consumer groups, as (service, purpose) (see each service's handlers). A
# platform started on a broker that earlier tests used begins at the topics' end, not in the
# middle of their leftovers.
CONSUMER_GROUPS = [
    ("intake", "case-progress"),
    ("scheduling", "case-needs"),
    ("volunteering", "case-needs"),
    ("notifications", "recipients"),
    ("notifications", "case-keys"),
    ("notifications", "case-updates"),
    ("notifications", "webhooks"),
    ("notifications", "staffing"),
]


@dataclass
class Platform:
    infrastructure: Infrastructure
    services: dict[str, ServiceDef]
    databases: dict[str, str] = field(default_factory=dict)
    processes: dict[str, Popen[bytes]] = field(default_factory=dict)

    def url(self, service: str, path: str) -> str:
        return self.services[service].url + path

    @staticmethod
    def auth(role: str, site: str, *, staff_id: uuid.UUID | None = None) -> dict[str, str]:
        """`staff_id`: the staff member a care_staff token speaks for (their shift offers)."""
        return {"Authorization": f"Bearer {mint_token(role, site, staff_id=staff_id)}"}

    def mails_to(self, address: str) -> list[EmailMessage]:
        return [m for m in self.infrastructure.smtp.messages() if address in str(m["To"])]


def start_platform(
    infra: Infrastructure,
    logs: Path,
    *,
    extra_environment: dict[str, str] | None = None,
    group_prefix: str = "",
) -> Platform:
    """`group_prefix` (CQ_MESSAGING_GROUP_PREFIX) lets a second platform run on the same broker
    beside the first without sharing its consumer groups."""
    logs.mkdir(parents=True, exist_ok=True)
    for owner, purpose in CONSUMER_GROUPS:
        group = consumer_group(owner, purpose, group_prefix)
        asyncio.run(skip_to_end(infra.kafka.bootstrap_servers, group, TOPICS))
    environment = {**(extra_environment or {}), "CQ_MESSAGING_GROUP_PREFIX": group_prefix}
    suffix = uuid.uuid4().hex[:6]
    platform = Platform(infra, {s.name: ServiceDef(s.name, free_port()) for s in SERVICES})
    for name, service in platform.services.items():
        database = f"{name}_{suffix}"
        infra.create_database(database)
        platform.databases[name] = infra.database_url(database)
        env = service_environment(
            infra,
            service,
            demo_data=True,
            extra={"CQ_DATABASE_URL": platform.databases[name], **environment},
        )
        log = (logs / f"{name}.log").open("w")
        platform.processes[name] = start_service(service, env, echo=log)
    for name, process in platform.processes.items():
        wait_until_ready(platform.services[name], process)
    return platform


def stop_platform(platform: Platform) -> None:
    for process in platform.processes.values():
        stop_service(process)
