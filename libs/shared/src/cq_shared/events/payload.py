"""The base of every event payload: the `data` of a CloudEvent."""

from typing import ClassVar

from pydantic import BaseModel, ConfigDict


class EventPayload(BaseModel):
    """A versioned event payload.

    Subclasses set `event_type` (reverse-DNS, ending in the major version: `...opened.v1`) and
    `topic`. Consumers ignore fields they do not know, so a producer may add optional fields
    within a major version without breaking anyone; anything else needs a new `.vN` type.
    """

    model_config = ConfigDict(frozen=True, extra="ignore")

    event_type: ClassVar[str]
    topic: ClassVar[str]
