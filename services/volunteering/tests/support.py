"""Helpers of the integration tests: feeding CaseOpened to the real topic, reading the outbox,
waiting for the consumer."""

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any, TypeVar

from aiokafka import AIOKafkaProducer
from sqlalchemy import text

from cq_shared.contracts import Language, NeedType
from cq_shared.contracts.common import CareLevel, Urgency
from cq_shared.contracts.intake import CaseErased, CaseOpened, NeedRequested
from cq_shared.db.database import Database
from cq_shared.events import Envelope

T = TypeVar("T")


def case_opened(
    site: str,
    *,
    language: Language = Language.DE,
    postal_code: str = "67655",
    needs: list[tuple[NeedType, date | None]],
    share_with_volunteers: bool = True,
) -> CaseOpened:
    return CaseOpened(
        case_id=uuid.uuid4(),
        site=site,
        urgency=Urgency.ROUTINE,
        channel="phone",
        language=language,
        postal_code=postal_code,
        care_level=CareLevel.PG2,
        needs=[NeedRequested(need_id=uuid.uuid4(), type=t, start=start) for t, start in needs],
        share_with_volunteers=share_with_volunteers,
    )


async def publish(
    bootstrap: str, case: CaseOpened | CaseErased, event_id: str | None = None
) -> None:
    """As intake's relay would: a CloudEvent on `intake.cases`, keyed by the case id."""
    envelope = Envelope(
        id=event_id or str(uuid.uuid4()),
        source=f"/sites/{case.site}/intake",
        type=case.event_type,
        subject=str(case.case_id),
        time=datetime.now(UTC),
        site=case.site,
        data=case.model_dump(mode="json"),
    )
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        await producer.send_and_wait(
            case.topic,
            value=envelope.kafka_value(),
            key=str(case.case_id).encode(),
            headers=envelope.kafka_headers(),
        )
    finally:
        await producer.stop()


async def outbox(database: Database, case_id: uuid.UUID) -> list[tuple[str, dict[str, Any]]]:
    """(event type suffix, data) of this case's events, in writing order."""
    async with database.unit_of_work() as session:
        rows = await session.execute(
            text("SELECT event_type, data FROM outbox WHERE subject = :s ORDER BY id"),
            {"s": str(case_id)},
        )
        return [(row.event_type.split(".volunteering.")[-1], row.data) for row in rows]


async def eventually(
    probe: Callable[[], Awaitable[T]], done: Callable[[T], bool], timeout: float = 60.0
) -> T:
    deadline = time.monotonic() + timeout
    while True:
        value = await probe()
        if done(value):
            return value
        assert time.monotonic() < deadline, f"gave up waiting; last seen: {value!r}"
        await asyncio.sleep(0.2)


def volunteer_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "site": "muenster",
        "given_name": "Hannelore",
        "family_name": "Kemper",
        "email": f"h.kemper.{uuid.uuid4().hex[:6]}@example.org",
        "phone": "+49 251 5550123",
        "languages": ["de", "en"],
        "skills": ["volunteer_visit"],
        "postal_code": "48143",
        "weekdays": ["mon", "thu"],
        "max_load": 2,
        "certificate_of_conduct_expires_on": "2030-06-30",
    }
    body.update(overrides)
    return body
