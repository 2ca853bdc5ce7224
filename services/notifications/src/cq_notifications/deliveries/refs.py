"""Which event a delivery answers: the identity it is deduplicated by."""

from dataclasses import dataclass
from typing import Any

from cq_shared.messaging.received import ReceivedEvent


@dataclass(frozen=True)
class EventRef:
    source: str
    id: str
    type: str

    @classmethod
    def of(cls, event: ReceivedEvent[Any]) -> "EventRef":
        envelope = event.envelope
        return cls(source=envelope.source, id=envelope.id, type=envelope.type)
