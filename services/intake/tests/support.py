"""Helpers of intake's tests: request bodies, SQL counts, publishing events, polling."""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any, TypeVar

from aiokafka import AIOKafkaProducer
from fastapi import FastAPI
from sqlalchemy import text

from cq_shared.events.envelope import Envelope
from cq_shared.events.payload import EventPayload

T = TypeVar("T")
TODAY = date(2025, 6, 2)  # conftest.NOW, in Germany
TABLES = ("cases", "clients", "contacts", "needs", "audit_events", "outbox", "inbox")


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def emergency(site: str = "kaiserslautern", **changes: Any) -> dict[str, Any]:
    """Journey 1: the daughter goes to hospital tomorrow; her mother needs care meanwhile."""
    body: dict[str, Any] = {
        "site": site,
        "channel": "phone",
        "urgency": "emergency",
        "client": {
            "given_name": "Hildegard",
            "family_name": "Becker",
            "birth_date": "1941-03-12",
            "postal_code": "67655",
            "language": "de",
            "care_level": "3",
        },
        "contacts": [
            {
                "relation": "daughter",
                "given_name": "Sabine",
                "family_name": "Becker",
                "email": "sabine.becker@example.org",
                "language": "de",
                "notify": True,
            },
            {
                "relation": "neighbour",
                "given_name": "Klaus",
                "family_name": "Nachbar",
                "phone": "0631 123456",
                "language": "de",
                "notify": False,
            },
        ],
        "needs": [
            {
                "type": "short_term_care",
                "start": day(1),
                "days": 14,
                "note": "Demenz, nachts unruhig",
            },
            {"type": "volunteer_visit", "start": day(1), "days": 14},
        ],
        "consent": {
            "data_processing": True,
            "notify_contacts": True,
            "share_with_volunteers": True,
        },
    }
    body.update(changes)
    return body


async def rows(app: FastAPI, sql: str, **params: Any) -> list[Any]:
    async with app.state.context.database.unit_of_work() as session:
        return list((await session.execute(text(sql), params)).all())


async def counts(app: FastAPI) -> dict[str, int]:
    return {table: (await rows(app, f"SELECT count(*) FROM {table}"))[0][0] for table in TABLES}


async def eventually(probe: Callable[[], Awaitable[T | None]], what: str, timeout: float = 60) -> T:
    deadline = time.monotonic() + timeout
    while True:
        result = await probe()
        if result:
            return result
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        await asyncio.sleep(0.2)


class Publisher:
    """Publishes events as another service's relay would: CloudEvents headers, JSON value,
    keyed by the case."""

    def __init__(self, bootstrap: str) -> None:
        self.producer = AIOKafkaProducer(bootstrap_servers=bootstrap)

    async def __aenter__(self) -> "Publisher":
        await self.producer.start()
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.producer.stop()

    async def send(
        self, payload: EventPayload, *, service: str, event_id: str | None = None
    ) -> Envelope:
        data = payload.model_dump(mode="json")
        envelope = Envelope(
            id=event_id or str(uuid.uuid4()),
            source=f"/sites/{data['site']}/{service}",
            type=payload.event_type,
            subject=str(data["case_id"]),
            time=datetime.now(UTC),
            site=data["site"],
            data=data,
        )
        await self.producer.send_and_wait(
            payload.topic,
            envelope.kafka_value(),
            key=envelope.subject.encode(),
            headers=envelope.kafka_headers(),
        )
        return envelope

    async def resend(self, envelope: Envelope, topic: str) -> None:
        """The same event again (a redelivery): same id, same source."""
        await self.producer.send_and_wait(
            topic,
            envelope.kafka_value(),
            key=envelope.subject.encode(),
            headers=envelope.kafka_headers(),
        )
