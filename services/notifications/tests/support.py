"""Publishing other services' events to the real topics and waiting for what follows."""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from email.message import EmailMessage
from typing import Any

import httpx
from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from cq_devstack.smtp_sink import SmtpSink
from cq_shared.db.database import Database
from cq_shared.events.envelope import Envelope
from cq_shared.events.payload import EventPayload

from .samples import SITE

# The producing service of each topic, for the CloudEvents source (/sites/<site>/<service>).
PRODUCERS = {
    "intake.cases": "intake",
    "scheduling.bookings": "scheduling",
    "volunteering.matches": "volunteering",
}


class Publisher:
    """Publishes payloads as their service's CloudEvents, keyed by case id."""

    def __init__(self, producer: AIOKafkaProducer) -> None:
        self.producer = producer

    async def publish(self, payload: EventPayload, *, event_id: str | None = None) -> str:
        case_id = str(payload.case_id)  # type: ignore[attr-defined]
        envelope = Envelope(
            id=event_id or str(uuid.uuid4()),
            source=f"/sites/{SITE}/{PRODUCERS[payload.topic]}",
            type=payload.event_type,
            subject=case_id,
            time=datetime.now(UTC),
            site=SITE,
            data=payload.model_dump(mode="json"),
        )
        await self.producer.send_and_wait(
            payload.topic,
            value=envelope.kafka_value(),
            key=case_id.encode(),
            headers=envelope.kafka_headers(),
        )
        return envelope.id


async def wait_for(
    check: Callable[[], Awaitable[Any]], *, timeout: float = 30.0, what: str = "condition"
) -> Any:
    """Poll `check` until it returns something truthy; return that."""
    deadline = time.monotonic() + timeout
    while True:
        result = await check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.1)


def mails_to(sink: SmtpSink, address: str) -> list[EmailMessage]:
    return [message for message in sink.messages() if message["To"] == address]


async def mails_arrived(sink: SmtpSink, *addresses: str) -> dict[str, EmailMessage] | None:
    """The one mail to each address, once every address has one."""
    found = {address: mails_to(sink, address) for address in addresses}
    if not all(found.values()):
        return None
    return {address: mails[0] for address, mails in found.items()}


async def scalar(database: Database, sql: str, **params: Any) -> Any:
    async with database.unit_of_work() as session:
        return (await session.execute(text(sql), params)).scalar_one()


async def metric(client: httpx.AsyncClient, name: str, *fragments: str) -> float:
    """Sum of a Prometheus counter's samples whose labels contain every fragment."""
    body = (await client.get("/metrics")).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in body.splitlines()
        if line.startswith(name + "{") and all(fragment in line for fragment in fragments)
    )
