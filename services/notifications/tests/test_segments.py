"""Set-wise parts of a batch never reorder two events of one case that matter to each other."""

import uuid
from datetime import UTC, datetime
from typing import Any

from cq_notifications.deliveries.segments import distinct_cases, registrations_then_news
from cq_shared.contracts.intake import RecipientsRegistered
from cq_shared.events.envelope import Envelope
from cq_shared.events.payload import EventPayload
from cq_shared.messaging.received import ReceivedEvent

from . import samples


def received(payload: EventPayload) -> ReceivedEvent[Any]:
    envelope = Envelope(
        id=str(uuid.uuid4()),
        source="/sites/test/intake",
        type=payload.event_type,
        subject="s",
        time=datetime.now(UTC),
        site=samples.SITE,
        data={},
    )
    return ReceivedEvent(envelope, payload, "t", 0, 0)


def names(events: list[ReceivedEvent[Any]], labels: dict[str, str]) -> list[str]:
    return [labels[event.envelope.id] for event in events]


def test_distinct_cases_starts_a_new_part_when_a_case_comes_again() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    events = [received(samples.booking_confirmed(case)) for case in (a, b, a, b, b)]
    labels = {e.envelope.id: f"{i}" for i, e in enumerate(events)}
    parts = [names(part, labels) for part in distinct_cases(events)]
    assert parts == [["0", "1"], ["2", "3"], ["4"]]


def test_registrations_and_news_keep_each_cases_order() -> None:
    a, b = uuid.uuid4(), uuid.uuid4()
    r = samples.registered
    sequence = [
        ("Ra", r(a)),
        ("Oa", samples.case_opened(a)),
        ("Rb", r(b)),
        ("Ob", samples.case_opened(b)),
        ("Ra2", r(a)),  # a later registration of a: after a's news, so a new part
        ("Oa2", samples.case_opened(a)),
    ]
    events = [received(payload) for _, payload in sequence]
    labels = {e.envelope.id: name for e, (name, _) in zip(events, sequence, strict=True)}
    parts = registrations_then_news(events, is_registration=RecipientsRegistered)
    assert [(names(regs, labels), names(news, labels)) for regs, news in parts] == [
        (["Ra", "Rb"], ["Oa", "Ob"]),
        (["Ra2"], ["Oa2"]),
    ]


def test_news_before_its_registration_is_not_moved_after_it() -> None:
    a = uuid.uuid4()
    events = [received(samples.case_opened(a)), received(samples.registered(a))]
    parts = registrations_then_news(events, is_registration=RecipientsRegistered)
    assert [(len(regs), len(news)) for regs, news in parts] == [(0, 1), (1, 0)]
