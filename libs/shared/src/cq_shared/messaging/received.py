"""What a handler receives: the typed payload and the envelope it came in."""

from dataclasses import dataclass
from typing import Generic, TypeVar

from cq_shared.events.envelope import Envelope
from cq_shared.events.payload import EventPayload

# Covariant: a handler of `ReceivedEvent[A | B]` can be registered for A and for B.
P_co = TypeVar("P_co", bound=EventPayload, covariant=True)


@dataclass(frozen=True)
class ReceivedEvent(Generic[P_co]):
    envelope: Envelope
    payload: P_co
    topic: str
    partition: int
    offset: int

    @property
    def site(self) -> str:
        return self.envelope.site

    @property
    def subject(self) -> str:
        return self.envelope.subject
