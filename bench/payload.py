"""A message of the platform's typical size: a CaseOpened with three needs, as JSON."""

import json
import uuid
from datetime import UTC, date, datetime
from typing import ClassVar

from cq_shared.contracts.common import CareLevel, Language, NeedType, Urgency
from cq_shared.contracts.intake import CaseOpened, NeedRequested
from cq_shared.events.envelope import Envelope


class BenchCaseOpened(CaseOpened):
    """A CaseOpened (same type, same size) on a topic of its own: the benchmark must not feed
    fake cases to the services' real topics, which the journey benchmark's services read."""

    topic: ClassVar[str] = "bench.outbox"


def typical_event(case_id: uuid.UUID | None = None) -> CaseOpened:
    return BenchCaseOpened(
        case_id=case_id or uuid.uuid4(),
        site="kaiserslautern",
        urgency=Urgency.EMERGENCY,
        channel="phone",
        language=Language.DE,
        postal_code="67655",
        care_level=CareLevel.PG3,
        needs=[
            NeedRequested(
                need_id=uuid.uuid4(),
                type=NeedType.SHORT_TERM_CARE,
                start=date(2026, 12, 1),
                days=14,
            ),
            NeedRequested(
                need_id=uuid.uuid4(),
                type=NeedType.VOLUNTEER_VISIT,
                start=date(2026, 12, 1),
                days=14,
            ),
            NeedRequested(need_id=uuid.uuid4(), type=NeedType.COUNSELLING),
        ],
        share_with_volunteers=True,
    )


def typical_envelope() -> Envelope:
    event = typical_event()
    return Envelope(
        id=str(uuid.uuid4()),
        source="/sites/kaiserslautern/intake",
        type=event.event_type,
        subject=str(event.case_id),
        time=datetime.now(UTC),
        site="kaiserslautern",
        data=event.model_dump(mode="json"),
    )


def typical_size() -> int:
    envelope = typical_envelope()
    headers = sum(len(k) + len(v) for k, v in envelope.kafka_headers())
    return len(json.dumps(envelope.data)) + headers
