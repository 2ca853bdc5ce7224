"""Events: CloudEvents 1.0 envelopes over Kafka, typed payloads and the catalogue of types."""

from cq_shared.events.catalogue import (
    EventCatalogue,
    EventDefinition,
    UnknownEventTypeError,
    catalogue,
)
from cq_shared.events.envelope import Envelope, EnvelopeError
from cq_shared.events.payload import EventPayload

__all__ = [
    "Envelope",
    "EnvelopeError",
    "EventCatalogue",
    "EventDefinition",
    "EventPayload",
    "UnknownEventTypeError",
    "catalogue",
]
