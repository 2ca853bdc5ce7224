"""Which payload model and topic belong to a CloudEvents `type`, and how each topic is declared."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TypeVar

from cq_shared.events.payload import EventPayload
from cq_shared.events.topics import TopicSpec

P = TypeVar("P", bound=EventPayload)


class UnknownEventTypeError(LookupError):
    """A message carries a `type` that no catalogue entry describes."""


@dataclass(frozen=True)
class EventDefinition:
    event_type: str
    topic: str
    model: type[EventPayload]


class EventCatalogue:
    """A registry of event types; the platform's one instance is `catalogue`."""

    def __init__(self) -> None:
        self._by_type: dict[str, EventDefinition] = {}
        self._topics: dict[str, TopicSpec] = {}

    def declare_topic(self, spec: TopicSpec) -> str:
        """Declare a topic (its partitions, retention, DLQ); returns its name for models."""
        existing = self._topics.get(spec.name)
        if existing is not None and existing != spec:
            raise ValueError(f"topic {spec.name} is declared twice, differently")
        self._topics[spec.name] = spec
        return spec.name

    def topic(self, name: str) -> TopicSpec:
        return self._topics[name]

    def topics(self) -> list[TopicSpec]:
        """Every declared topic (their dead-letter topics follow from each spec)."""
        return sorted(self._topics.values(), key=lambda t: t.name)

    def public_event_types(self) -> list[str]:
        """The event types of public topics: what a branch may read or subscribe to."""
        return [d.event_type for d in self if self._topics[d.topic].public]

    def register(self, model: type[P]) -> type[P]:
        """Class decorator: add a payload model under its `event_type`."""
        event_type = model.event_type
        existing = self._by_type.get(event_type)
        if existing is not None and existing.model is not model:
            raise ValueError(f"event type {event_type} is registered twice")
        self._by_type[event_type] = EventDefinition(event_type, model.topic, model)
        return model

    def definition(self, event_type: str) -> EventDefinition:
        try:
            return self._by_type[event_type]
        except KeyError:
            raise UnknownEventTypeError(event_type) from None

    def __iter__(self) -> Iterator[EventDefinition]:
        return iter(sorted(self._by_type.values(), key=lambda d: d.event_type))


catalogue = EventCatalogue()
