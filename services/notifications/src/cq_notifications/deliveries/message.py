"""A message before it meets its recipient: which template, and the event's values."""

from dataclasses import dataclass

from cq_notifications.templating import TemplateName, Values


@dataclass(frozen=True)
class Message:
    """A template and the event's values; the recipient's names are added per recipient."""

    template: TemplateName
    values: Values
