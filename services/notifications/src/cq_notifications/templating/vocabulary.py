"""Per-language words and sentences that depend on event data: need types, resource types,
date formats and sentence variants (e.g. the emergency note). Kept in packaged TOML files next
to the templates, so a translator edits text files only."""

import tomllib
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from string import Template
from typing import Any

from cq_shared.contracts.common import Language


@dataclass(frozen=True)
class Vocabulary:
    language: Language
    entries: dict[str, Any]

    def text(self, table: str, key: str) -> str:
        """One entry; a missing one is a programming error (a test checks every language has
        the same keys as German)."""
        value = self.entries[table][key]
        if not isinstance(value, str):
            raise TypeError(f"{self.language}: {table}.{key} is not text")
        return value.strip()

    def lookup(self, table: str, key: str) -> str | None:
        """An entry that may be missing, e.g. the label of a resource type nobody translated."""
        value = self.entries.get(table, {}).get(key)
        return value.strip() if isinstance(value, str) else None

    def words(self, table: str, key: str) -> list[str]:
        value = self.entries[table][key]
        if not isinstance(value, list) or not all(isinstance(word, str) for word in value):
            raise TypeError(f"{self.language}: {table}.{key} is not a list of words")
        return value

    def phrase(self, table: str, key: str, **values: str) -> str:
        return Template(self.text(table, key)).substitute(values)


@cache
def vocabulary(language: Language) -> Vocabulary:
    path = files("cq_notifications.templating").joinpath("vocabulary", f"{language.value}.toml")
    return Vocabulary(language, tomllib.loads(path.read_text(encoding="utf-8")))
