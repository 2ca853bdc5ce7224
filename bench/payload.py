"""A message of the platform's typical size: a CaseOpened with three needs, as JSON."""

import json
import uuid
from datetime import UTC, date, datetime
from typing import ClassVar

from cq_shared.contracts.common import NeedType
from cq_shared.contracts.intake import CaseOpened
from cq_shared.events.envelope import Envelope
from cq_testing import case_opened, need


class BenchCaseOpened(CaseOpened):
    """A CaseOpened (same type, same size) on a topic of its own: the benchmark must not feed
    fake cases to the services' real topics, which the journey benchmark's services read."""

    topic: ClassVar[str] = "bench.outbox"


def typical_event(case_id: uuid.UUID | None = None) -> CaseOpened:
    start = date(2026, 12, 1)
    return case_opened(
        "kaiserslautern",
        need(NeedType.SHORT_TERM_CARE, start, 14),
        need(NeedType.VOLUNTEER_VISIT, start, 14),
        need(NeedType.COUNSELLING),
        case_id=case_id,
        event=BenchCaseOpened,
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
