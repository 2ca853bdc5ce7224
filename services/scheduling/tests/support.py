"""Builders and probes shared by the scheduling tests."""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from aiokafka import AIOKafkaProducer
from sqlalchemy import text
from sqlmodel import select

from cq_scheduling.bookings.models import Booking
from cq_shared.contracts import Language, NeedType
from cq_shared.contracts.common import CareLevel, Urgency
from cq_shared.contracts.intake import CaseOpened, NeedRequested
from cq_shared.db.database import Database
from cq_shared.events.envelope import Envelope

T = TypeVar("T")

# The services' clock in these tests: Monday 4 March 2030, 08:00 in Berlin (CET, UTC+1).
NOW = datetime(2030, 3, 4, 7, 0, tzinfo=UTC)


def need(kind: NeedType, start: date | None = None, days: int | None = None) -> NeedRequested:
    return NeedRequested(need_id=uuid.uuid4(), type=kind, start=start, days=days)


def case_opened(site: str, *needs: NeedRequested, language: Language = Language.DE) -> CaseOpened:
    return CaseOpened(
        case_id=uuid.uuid4(),
        site=site,
        urgency=Urgency.EMERGENCY,
        channel="phone",
        language=language,
        postal_code="67655",
        care_level=CareLevel.PG3,
        needs=list(needs),
        share_with_volunteers=False,
    )


def envelope(case: CaseOpened) -> Envelope:
    """CaseOpened as intake publishes it: a CloudEvent from /sites/<site>/intake."""
    return Envelope(
        id=str(uuid.uuid4()),
        source=f"/sites/{case.site}/intake",
        type=CaseOpened.event_type,
        subject=str(case.case_id),
        time=datetime.now(UTC),
        site=case.site,
        data=case.model_dump(mode="json"),
    )


async def publish(bootstrap: str, *envelopes: Envelope) -> None:
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap, acks="all")
    await producer.start()
    try:
        for event in envelopes:
            await producer.send_and_wait(
                CaseOpened.topic,
                value=event.kafka_value(),
                key=event.subject.encode(),
                headers=event.kafka_headers(),
            )
    finally:
        await producer.stop()


async def bookings_of(database: Database, case_id: uuid.UUID) -> list[Booking]:
    async with database.unit_of_work() as session:
        found = await session.exec(select(Booking).where(Booking.case_id == case_id))
        return list(found.all())


async def outbox(database: Database, case_id: uuid.UUID) -> list[tuple[str, dict[str, Any]]]:
    """(event type, data) of the events written about a case, in order."""
    sql = "SELECT event_type, data FROM outbox WHERE subject = :subject ORDER BY id"
    async with database.engine.connect() as connection:
        rows = await connection.execute(text(sql), {"subject": str(case_id)})
        return [(row[0], row[1]) for row in rows]


async def count(database: Database, sql: str, **params: Any) -> int:
    async with database.engine.connect() as connection:
        return int((await connection.execute(text(sql), params)).scalar_one())


async def eventually(probe: Callable[[], Awaitable[T]], what: str, timeout: float = 60) -> T:
    deadline = time.monotonic() + timeout
    while not (result := await probe()):
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await asyncio.sleep(0.2)
    return result
