"""Turning a consumed record into a typed event, or into the reason it is a dead letter."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from cq_shared.events.catalogue import EventCatalogue, UnknownEventTypeError
from cq_shared.events.envelope import Envelope, EnvelopeError
from cq_shared.messaging.dlq import DeadLetter
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.messaging.record import Record, Route


@dataclass(frozen=True)
class Decoded:
    record: Record
    event: ReceivedEvent[Any]
    route: Route


class Ignored:
    """A known event type this consumer has no handler for."""


IGNORED = Ignored()


def decode(
    record: Record, events: EventCatalogue, routes: Mapping[str, Route]
) -> Decoded | DeadLetter | Ignored:
    try:
        envelope = Envelope.from_kafka(record.headers, record.value)
    except EnvelopeError as error:
        reason = "not_json" if "JSON" in str(error) else "invalid_envelope"
        return DeadLetter(reason, str(error))
    try:
        definition = events.definition(envelope.type)
    except UnknownEventTypeError:
        return DeadLetter("unknown_type", f"no event type {envelope.type} in the catalogue")
    route = routes.get(envelope.type)
    if route is None:
        return IGNORED
    try:
        payload = definition.model.model_validate(envelope.data)
    except ValidationError as error:
        return DeadLetter("schema_invalid", _fields(error))
    event = ReceivedEvent(envelope, payload, record.topic, record.partition, record.offset)
    return Decoded(record, event, route)


def _fields(error: ValidationError) -> str:
    """Which fields failed and how, never their values (they may be health data)."""
    problems = [
        ".".join(str(part) for part in item["loc"]) + ": " + item["type"] for item in error.errors()
    ]
    return "schema validation failed: " + "; ".join(problems)
