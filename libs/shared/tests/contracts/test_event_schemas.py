"""The committed JSON Schemas are the released contract: a model change that would break a
consumer (a removed or retyped field, a new required one) fails here. Adding an optional field
is fine; then regenerate with `python -m cq_shared.contracts.schemas libs/shared/schemas/events`."""

import json
from pathlib import Path
from typing import Any

import pytest

from cq_shared.contracts.schemas import schema_of
from cq_shared.events.catalogue import catalogue

RELEASED = Path(__file__).parents[2] / "schemas" / "events"
TYPES = [definition.event_type for definition in catalogue]


def resolve(schema: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref:
        return resolve(schema, schema["$defs"][ref.split("/")[-1]])
    return node


class Comparison:
    """Compares an old and a new schema, resolving `$ref`s against each one's `$defs`."""

    def __init__(self, old_root: dict[str, Any], new_root: dict[str, Any]) -> None:
        self.old_root, self.new_root = old_root, new_root

    def breaking_changes(self) -> list[str]:
        return self._compare(self.old_root, self.new_root, "")

    def _compare(self, old: dict[str, Any], new: dict[str, Any], path: str) -> list[str]:
        problems = []
        new_props = new.get("properties", {})
        for name, old_field in old.get("properties", {}).items():
            if name not in new_props:
                problems.append(f"{path}{name} was removed")
                continue
            old_node = resolve(self.old_root, old_field)
            new_node = resolve(self.new_root, new_props[name])
            if old_node.get("type") != new_node.get("type"):
                problems.append(f"{path}{name} changed type")
            if old_node.get("enum") and not set(old_node["enum"]) <= set(new_node.get("enum", [])):
                problems.append(f"{path}{name} lost enum values")
            if "properties" in old_node:
                problems += self._compare(old_node, new_node, f"{path}{name}.")
            if "items" in old_node and "items" in new_node:
                problems += self._compare(
                    resolve(self.old_root, old_node["items"]),
                    resolve(self.new_root, new_node["items"]),
                    f"{path}{name}[].",
                )
        for name in sorted(set(new.get("required", [])) - set(old.get("required", []))):
            problems.append(f"{path}{name} became required")
        return problems


@pytest.mark.parametrize("event_type", TYPES)
def test_every_event_type_is_versioned_and_released(event_type: str) -> None:
    assert event_type.startswith("de.drk.carequartier.")
    assert event_type.rsplit(".", 1)[-1].startswith("v")
    assert (RELEASED / f"{event_type}.json").is_file(), "export the schema and commit it"


@pytest.mark.parametrize("event_type", TYPES)
def test_the_model_stays_compatible_with_its_released_schema(event_type: str) -> None:
    released = json.loads((RELEASED / f"{event_type}.json").read_text(encoding="utf-8"))
    assert Comparison(released, schema_of(event_type)).breaking_changes() == []


def test_the_compatibility_check_catches_a_removed_and_a_new_required_field() -> None:
    old = {"properties": {"a": {"type": "string"}, "b": {"type": "integer"}}, "required": ["a"]}
    new = {
        "properties": {"a": {"type": "integer"}, "c": {"type": "string"}},
        "required": ["a", "c"],
    }
    assert sorted(Comparison(old, new).breaking_changes()) == [
        "a changed type",
        "b was removed",
        "c became required",
    ]
