"""docs/public-contract.md: the public topics and their event types for people, generated from
the catalogue (the hand-written sections are in `public_page_text`).

Regenerate with `uv run --frozen python -m cq_shared.contracts.documents`; a test fails when
the committed page differs.
"""

import json
from typing import Any

from cq_shared.contracts import public_page_text as text
from cq_shared.contracts.describe import examples, key_description, payload_schema, retention_text
from cq_shared.events.catalogue import EventCatalogue, EventDefinition, catalogue
from cq_shared.events.topics import TopicSpec


def public_contract_page(events: EventCatalogue = catalogue) -> str:
    sections = [
        text.HEADER,
        text.WHO_MAY_READ,
        text.WHAT_IS_NEVER_PUBLISHED,
        text.ENVELOPE,
        text.TOPICS_INTRO,
        *(_topic(topic, events) for topic in events.topics() if topic.public),
        text.READING_EXAMPLE,
        text.WEBHOOKS,
    ]
    return "\n".join(sections)


def _topic(topic: TopicSpec, events: EventCatalogue) -> str:
    definitions = [d for d in events if d.topic == topic.name]
    keys = sorted({key_description(d) for d in definitions})
    lines = [
        f"### Topic `{topic.name}`",
        "",
        f"- Key: {' / '.join(key.rstrip('.') for key in keys) or 'the event subject'}",
        f"- Retention: {retention_text(topic.retention)}",
        f"- Cleanup policy: `{topic.cleanup_policy}`",
        f"- Partitions: {topic.partitions} (order holds per key only)",
        "",
        "",
    ]
    return "\n".join(lines) + "\n".join(_event_type(d, events) for d in definitions)


def _event_type(definition: EventDefinition, events: EventCatalogue) -> str:
    schema = payload_schema(definition.event_type, events)
    lines = [f"#### `{definition.event_type}`", ""]
    if "description" in schema:
        lines += [" ".join(schema["description"].split()), ""]
    lines += ["| field | type | required | description |", "|---|---|---|---|"]
    lines += [_row(*field) for field in _fields(schema, "")]
    for example in examples(definition):
        lines += ["", "Example:", "", "```json", json.dumps(example, indent=2), "```"]
    return "\n".join(lines) + "\n"


def _fields(schema: dict[str, Any], prefix: str) -> list[tuple[str, dict[str, Any], bool]]:
    """Every field, nested ones as `outer.inner` and `list[].inner`, in declaration order."""
    required = set(schema.get("required", []))
    found = []
    for name, field in schema.get("properties", {}).items():
        path = prefix + name
        found.append((path, field, name in required))
        items = field.get("items", {})
        if "properties" in field:
            found += _fields(field, path + ".")
        elif "properties" in items:
            found += _fields(items, path + "[].")
    return found


def _row(path: str, field: dict[str, Any], required: bool) -> str:
    description = " ".join(field.get("description", "").split()).replace("|", "\\|")
    return f"| `{path}` | {_type(field)} | {'yes' if required else 'no'} | {description} |"


def _type(field: dict[str, Any]) -> str:
    """A field's type in words: `integer ≥ 0 or null`, `string (date)`, one of `a`, `b`."""
    if "anyOf" in field:
        return " or ".join(_type(option) for option in field["anyOf"])
    if "const" in field:
        return f"`{json.dumps(field['const'])}`"
    if "enum" in field:
        return "one of " + ", ".join(f"`{value}`" for value in field["enum"])
    kind = str(field.get("type", "any"))
    if kind == "array":
        items = field.get("items", {})
        inner = "objects" if "properties" in items else _type(items)
        return f"array of {inner}"
    if "format" in field:
        kind += f" ({field['format']})"
    if "minimum" in field:
        kind += f" ≥ {field['minimum']}"
    return kind
