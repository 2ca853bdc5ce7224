"""A consumed Kafka record as the inbox sees it, and the handler signature."""

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.messaging.received import ReceivedEvent

Handler = Callable[[AsyncSession, ReceivedEvent[Any]], Awaitable[None]]


@dataclass(frozen=True)
class Record:
    """The parts of a consumed Kafka record the inbox needs (FastStream-independent)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]
