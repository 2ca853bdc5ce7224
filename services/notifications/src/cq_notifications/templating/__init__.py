"""Message templates: packaged text files per template and language, rendered with
`string.Template`, plus a per-language vocabulary for words and sentences that depend on the
event (need types, resources, dates, the emergency note)."""

from cq_notifications.templating.catalog import (
    FALLBACK_LANGUAGE,
    TemplateName,
    languages_of,
    resolve_language,
)
from cq_notifications.templating.render import RenderedMessage, Values, render
from cq_notifications.templating.vocabulary import Vocabulary, vocabulary

__all__ = [
    "FALLBACK_LANGUAGE",
    "RenderedMessage",
    "TemplateName",
    "Values",
    "Vocabulary",
    "languages_of",
    "render",
    "resolve_language",
    "vocabulary",
]
