"""The committed JSON Schemas are the released contract: a model change that would break a
consumer (a removed or retyped field, a new required one) fails here. Adding an optional field
is fine; then regenerate with `python -m cq_shared.contracts.schemas libs/shared/schemas/events`."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from cq_shared.contracts.schemas import schema_of
from cq_shared.events.catalogue import catalogue
from cq_shared.events.topics import PUBLIC_PREFIX

from .compatibility import Comparison

RELEASED = Path(__file__).parents[2] / "schemas" / "events"
TYPES = [definition.event_type for definition in catalogue]
# Released public schemas are what other branches code against (docs/public-contract.md).
PUBLIC_FILES = sorted(RELEASED.glob("de.drk.carequartier.public.*.json"))


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


def released(path: Path) -> dict[str, Any]:
    schema: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return schema


def test_every_released_public_schema_is_a_public_type_and_checked() -> None:
    """The check above runs once per catalogue type; this makes sure that covers every
    committed public schema (a public file with no type behind it would go unchecked)."""
    public_types = catalogue.public_event_types()
    assert [path.name.removesuffix(".json") for path in PUBLIC_FILES] == sorted(public_types)
    assert all(event_type in TYPES for event_type in public_types)
    assert all(catalogue.definition(t).topic.startswith(PUBLIC_PREFIX) for t in public_types)


@pytest.mark.parametrize("path", PUBLIC_FILES, ids=lambda path: path.stem)
def test_breaking_a_released_public_schema_is_rejected(path: Path) -> None:
    old = released(path)
    required = old["required"][-1]

    dropped = copy.deepcopy(old)
    del dropped["properties"][required]
    dropped["required"].remove(required)
    assert Comparison(old, dropped).breaking_changes() == [f"{required} was removed"]

    optional = copy.deepcopy(old)
    optional["required"].remove(required)
    assert Comparison(old, optional).breaking_changes() == [f"{required} is no longer required"]

    retyped = copy.deepcopy(old)
    retyped["properties"]["site"] = {"type": "integer", "title": "Site"}
    assert Comparison(old, retyped).breaking_changes() == ["site changed type"]


@pytest.mark.parametrize("path", PUBLIC_FILES, ids=lambda path: path.stem)
def test_an_added_optional_field_is_accepted(path: Path) -> None:
    old = released(path)
    extended = copy.deepcopy(old)
    extended["properties"]["note"] = {"anyOf": [{"type": "string"}, {"type": "null"}]}
    assert Comparison(old, extended).breaking_changes() == []


def test_a_nested_nullable_field_that_changes_type_is_rejected() -> None:
    """The withheld count of `public.needs.daily.v1`: inside a list, behind `$ref` and
    `anyOf` (integer or null); a string there would break every reader."""
    [path] = [p for p in PUBLIC_FILES if p.name.endswith("needs.daily.v1.json")]
    old = released(path)
    new = copy.deepcopy(old)
    new["$defs"]["NeedCount"]["properties"]["count"]["anyOf"][0] = {"type": "string"}
    assert Comparison(old, new).breaking_changes() == ["counts[].count changed type"]
