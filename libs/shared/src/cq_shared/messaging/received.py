"""What a handler receives: the typed payload and the envelope it came in."""

from dataclasses import dataclass
from typing import Generic, TypeVar

from cq_shared.events.envelope import Envelope
from cq_shared.events.payload import EventPayload

P = TypeVar("P", bound=EventPayload)


@dataclass(frozen=True)
class ReceivedEvent(Generic[P]):
    envelope: Envelope
    payload: P
    topic: str
    partition: int
    offset: int

    @property
    def site(self) -> str:
        return self.envelope.site

    @property
    def subject(self) -> str:
        return self.envelope.subject
