"""A consumed Kafka record as the inbox sees it, and the handler signatures."""

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.messaging.received import ReceivedEvent

Handler = Callable[[AsyncSession, ReceivedEvent[Any]], Awaitable[None]]
BatchHandler = Callable[[AsyncSession, Sequence[ReceivedEvent[Any]]], Awaitable[None]]


@dataclass(frozen=True)
class Record:
    """The parts of a consumed Kafka record the inbox needs (FastStream-independent)."""

    topic: str
    partition: int
    offset: int
    key: bytes | None
    value: bytes | None
    headers: list[tuple[str, bytes]]


@dataclass(frozen=True, eq=False)
class Route:
    """Where events of one type go. A batched route's handler receives every consecutive
    fresh event of its type in a fetched batch at once (in order), so it can write them with
    one statement; an unbatched one receives a single event per call."""

    handler: BatchHandler
    batched: bool


def single(handler: Handler) -> Route:
    async def one_at_a_time(session: AsyncSession, events: Sequence[ReceivedEvent[Any]]) -> None:
        [event] = events
        await handler(session, event)

    return Route(one_at_a_time, batched=False)
