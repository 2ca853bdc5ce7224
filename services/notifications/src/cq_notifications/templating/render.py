"""Turning a template, a wanted language and event data into a subject and a body."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from cq_notifications.templating.catalog import TemplateName, resolve_language, source
from cq_notifications.templating.vocabulary import Vocabulary, vocabulary
from cq_shared.contracts.common import Language

# The values of one message, computed in the language actually used (hence the vocabulary).
Values = Callable[[Vocabulary], Mapping[str, str]]

_EXTRA_BLANK_LINES = re.compile(r"\n{3,}")


@dataclass(frozen=True)
class RenderedMessage:
    language: Language  # the language used, which may be the fallback
    subject: str
    body: str


def render(template: TemplateName, wanted: Language, values: Values) -> RenderedMessage:
    """Render in `wanted`, or in German when `template` has no such translation.

    `substitute` (not `safe_substitute`): a placeholder without a value is a bug and must fail
    loudly rather than reach a recipient as "$staff_name". Substitution is a single pass, so a
    `$` inside a value (a name) is never expanded.
    """
    language = resolve_language(template, wanted)
    words = vocabulary(language)
    mapping = {"closing": words.text("common", "closing"), **values(words)}
    parts = source(template, language)
    # A header must be one line, whatever a value contained.
    subject = " ".join(parts.subject.substitute(mapping).split())
    return RenderedMessage(language, subject, _tidy(parts.body.substitute(mapping)))


def _tidy(body: str) -> str:
    """Optional lines (e.g. no staff name) render empty; fold the gaps they leave."""
    lines = "\n".join(line.rstrip() for line in body.splitlines())
    return _EXTRA_BLANK_LINES.sub("\n\n", lines).strip() + "\n"
