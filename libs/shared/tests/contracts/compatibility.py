"""Whether a new JSON Schema of an event type still serves the readers of the released one.

A reader of the released schema relies on every field it names, on the field's types, format
and enum values, and on the fields that were required being there. So these break it: a
removed field, a field that may now hold a type it could not before, a changed format, a lost
enum value, a required field that became optional, and a new required field (an older
producer's events, re-driven from a dead-letter topic, lack it). An added optional field breaks
nobody: readers ignore fields they do not know (docs/decisions/0002). Added enum values pass.
"""

from typing import Any

JsonSchema = dict[str, Any]


def resolve(root: JsonSchema, node: JsonSchema) -> JsonSchema:
    ref = node.get("$ref")
    if ref:
        return resolve(root, root["$defs"][ref.split("/")[-1]])
    return node


def options(root: JsonSchema, node: JsonSchema) -> list[JsonSchema]:
    """A field's alternatives (`anyOf`/`oneOf`, e.g. `X | None`), each resolved; else itself."""
    node = resolve(root, node)
    alternatives = node.get("anyOf") or node.get("oneOf")
    if alternatives:
        return [found for each in alternatives for found in options(root, each)]
    return [node]


def types(alternatives: list[JsonSchema]) -> set[str]:
    found: set[str] = set()
    for each in alternatives:
        kind = each.get("type", "any")
        found |= set(kind) if isinstance(kind, list) else {kind}
    return found


def formats(alternatives: list[JsonSchema]) -> set[str]:
    return {each["format"] for each in alternatives if "format" in each}


def enum(alternatives: list[JsonSchema]) -> set[Any] | None:
    """The values a field is limited to (`enum` or `const`), or None when it is not."""
    limited = [each for each in alternatives if "enum" in each or "const" in each]
    if not limited:
        return None
    return {value for each in limited for value in each.get("enum", [each.get("const")])}


def first(alternatives: list[JsonSchema], key: str) -> JsonSchema | None:
    return next((each for each in alternatives if key in each), None)


class Comparison:
    """Compares an old and a new schema, resolving `$ref`s against each one's `$defs`."""

    def __init__(self, old_root: JsonSchema, new_root: JsonSchema) -> None:
        self.old_root, self.new_root = old_root, new_root

    def breaking_changes(self) -> list[str]:
        return self._compare(self.old_root, self.new_root, "")

    def _compare(self, old: JsonSchema, new: JsonSchema, path: str) -> list[str]:
        problems = []
        new_props = new.get("properties", {})
        for name, old_field in old.get("properties", {}).items():
            if name not in new_props:
                problems.append(f"{path}{name} was removed")
                continue
            problems += self._compare_field(old_field, new_props[name], f"{path}{name}")
        old_required, new_required = set(old.get("required", [])), set(new.get("required", []))
        for name in sorted(new_required - old_required):
            problems.append(f"{path}{name} became required")
        for name in sorted((old_required - new_required) & set(new_props)):
            problems.append(f"{path}{name} is no longer required")
        return problems

    def _compare_field(self, old_field: JsonSchema, new_field: JsonSchema, path: str) -> list[str]:
        old, new = options(self.old_root, old_field), options(self.new_root, new_field)
        problems = []
        if "any" not in types(old) and not types(new) <= types(old):
            problems.append(f"{path} changed type")
        if formats(old) != formats(new):
            problems.append(f"{path} changed format")
        old_enum, new_enum = enum(old), enum(new)
        if old_enum is not None and not (new_enum is not None and old_enum <= new_enum):
            problems.append(f"{path} lost enum values")
        old_object, new_object = first(old, "properties"), first(new, "properties")
        if old_object is not None and new_object is not None:
            problems += self._compare(old_object, new_object, f"{path}.")
        old_array, new_array = first(old, "items"), first(new, "items")
        if old_array is not None and new_array is not None:
            problems += self._compare_field(old_array["items"], new_array["items"], f"{path}[]")
        return problems
