"""JSON Schemas of the event payloads, kept in the repository as the released contract.

`python -m cq_shared.contracts.schemas <dir>` writes one file per type; a test compares the
models with the committed files and fails on a change that would break a consumer.
"""

import json
import sys
from pathlib import Path
from typing import Any

import cq_shared.contracts  # noqa: F401 - registers every event type
from cq_shared.events.catalogue import EventCatalogue, catalogue


def schema_of(event_type: str, events: EventCatalogue = catalogue) -> dict[str, Any]:
    definition = events.definition(event_type)
    schema = definition.model.model_json_schema(mode="serialization")
    schema["$id"] = f"urn:{event_type}"
    schema["x-topic"] = definition.topic
    return schema


def write_schemas(target: Path, events: EventCatalogue = catalogue) -> list[Path]:
    target.mkdir(parents=True, exist_ok=True)
    written = []
    for definition in events:
        path = target / f"{definition.event_type}.json"
        text = json.dumps(schema_of(definition.event_type, events), indent=2, sort_keys=True)
        path.write_text(text + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_schemas(Path(sys.argv[1])):
        sys.stdout.write(f"{written_path}\n")
