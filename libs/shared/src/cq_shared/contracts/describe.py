"""What a reader of one event type needs to know, derived from the catalogue: its payload
schema as one self-contained JSON Schema, its Kafka key, its CloudEvents headers, its examples.
Both contract documents (docs/asyncapi.json, docs/public-contract.md) are built from these, so
they cannot disagree with each other or with the models.
"""

import copy
import re
from datetime import timedelta
from typing import Any

from cq_shared.contracts.common import CaseEvent
from cq_shared.contracts.schemas import schema_of
from cq_shared.events.catalogue import EventCatalogue, EventDefinition, catalogue
from cq_shared.events.envelope import JSON, SPEC_VERSION

# Producers key every event by its subject (EventWriter); a model whose key is not the case id
# says what it is in its docstring ("Key: `<site>/<date>`."), the one place people read.
_KEY_IN_DOCSTRING = re.compile(r"Key: `([^`]+)`")
_PLACEHOLDER = re.compile(r"<([a-z_]+)>")
_EXAMPLE_ID = "7d4c1b9e-3f2a-4c6d-9b8e-1a2b3c4d5e6f"
_EXAMPLE_TIME = "2026-11-30T23:05:00Z"
_CASE_KEY = "The case id (also `ce_subject`): a case's events keep their order."


def payload_schema(event_type: str, events: EventCatalogue = catalogue) -> dict[str, Any]:
    """The JSON Schema of a type as its model gives it now (as `schemas.py` writes it; kept
    compatible with the released file by the schema tests), with its `$defs` inlined.

    Inlined because a document that embeds the schema resolves `#/$defs/...` against its own
    root, where those definitions do not exist."""
    return inline_definitions(schema_of(event_type, events))


def inline_definitions(schema: dict[str, Any]) -> dict[str, Any]:
    """`schema` with every `{"$ref": "#/$defs/X"}` replaced by X, and no `$defs` left."""
    definitions = schema.get("$defs", {})
    rest = {key: value for key, value in schema.items() if key != "$defs"}
    inlined: dict[str, Any] = _inline(rest, definitions, ())
    return inlined


def _inline(node: Any, definitions: dict[str, Any], seen: tuple[str, ...]) -> Any:
    if isinstance(node, list):
        return [_inline(item, definitions, seen) for item in node]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str) and ref.startswith("#/$defs/"):
        name = ref.removeprefix("#/$defs/")
        if name in seen:
            raise ValueError(f"recursive schema {name} cannot be inlined")
        siblings = {key: value for key, value in node.items() if key != "$ref"}
        target = copy.deepcopy(definitions[name])
        return _inline({**target, **siblings}, definitions, (*seen, name))
    return {key: _inline(value, definitions, seen) for key, value in node.items()}


def key_description(definition: EventDefinition) -> str:
    """What the Kafka key (always the event's `ce_subject`) of this type is."""
    if issubclass(definition.model, CaseEvent):
        return _CASE_KEY
    found = _KEY_IN_DOCSTRING.search(definition.model.__doc__ or "")
    if found:
        return f"`{found.group(1)}` (also `ce_subject`)."
    return "The event's subject (`ce_subject`)."


def examples(definition: EventDefinition) -> list[dict[str, Any]]:
    """The payload examples the model declares (`json_schema_extra["examples"]`), if any."""
    extra = definition.model.model_config.get("json_schema_extra")
    found = extra.get("examples") if isinstance(extra, dict) else None
    if not isinstance(found, list):
        return []
    return [example for example in found if isinstance(example, dict)]


def header_schema(definition: EventDefinition, owner: str) -> dict[str, Any]:
    """The CloudEvents 1.0 binary-mode headers of a record of this type (decision 0002)."""
    return {
        "type": "object",
        "description": "CloudEvents 1.0 in Kafka binary mode: attributes as `ce_*` headers.",
        "required": [
            "ce_specversion",
            "ce_id",
            "ce_source",
            "ce_type",
            "ce_subject",
            "ce_time",
            "ce_site",
            "content-type",
        ],
        "properties": {
            "ce_specversion": {"type": "string", "const": SPEC_VERSION},
            "ce_id": {
                "type": "string",
                "format": "uuid",
                "description": "Unique per source: `ce_source` + `ce_id` identify an event "
                "for deduplication.",
            },
            "ce_source": {
                "type": "string",
                "pattern": f"^/sites/[^/]+/{owner}$",
                "description": f"`/sites/<site>/{owner}`: the producing service at a site.",
            },
            "ce_type": {"type": "string", "const": definition.event_type},
            "ce_subject": {"type": "string", "description": key_description(definition)},
            "ce_time": {
                "type": "string",
                "format": "date-time",
                "description": "When it happened (RFC 3339, UTC).",
            },
            "ce_site": {
                "type": "string",
                "description": "Extension attribute: the site the event belongs to.",
            },
            "content-type": {"type": "string", "const": JSON},
            "traceparent": {
                "type": "string",
                "description": "Optional W3C Trace Context of the producing request.",
            },
        },
    }


def example_headers(
    definition: EventDefinition, owner: str, payload: dict[str, Any]
) -> dict[str, str]:
    """The headers a record carrying the example `payload` would have (the id and time are
    made up; the subject follows the key's pattern, filled in from the payload)."""
    site = str(payload.get("site", "kaiserslautern"))
    return {
        "ce_specversion": SPEC_VERSION,
        "ce_id": _EXAMPLE_ID,
        "ce_source": f"/sites/{site}/{owner}",
        "ce_type": definition.event_type,
        "ce_subject": _example_subject(definition, payload),
        "ce_time": _EXAMPLE_TIME,
        "ce_site": site,
        "content-type": JSON,
    }


def _example_subject(definition: EventDefinition, payload: dict[str, Any]) -> str:
    if issubclass(definition.model, CaseEvent):
        return str(payload.get("case_id", _EXAMPLE_ID))
    found = _KEY_IN_DOCSTRING.search(definition.model.__doc__ or "")
    if not found:
        return _EXAMPLE_ID
    return _PLACEHOLDER.sub(
        lambda name: str(payload.get(name.group(1), name.group(0))), found.group(1)
    )


def retention_text(retention: timedelta | None) -> str:
    if retention is None:
        return "kept for ever"
    return f"{retention.days} days"
