"""Splitting a batch handler's events into parts that can be applied set-wise.

A set-wise statement (one insert for many events) may reorder events relative to each other.
That is harmless between different cases; for one case, order matters. So a part never
holds two events of one case that could change each other's outcome.
"""

from collections.abc import Sequence
from typing import TypeVar
from uuid import UUID

from cq_shared.contracts.common import CaseEvent
from cq_shared.messaging.received import ReceivedEvent

E = TypeVar("E", bound=ReceivedEvent[CaseEvent])


def case_of(event: ReceivedEvent[CaseEvent]) -> UUID:
    return event.payload.case_id


def distinct_cases(events: Sequence[E]) -> list[list[E]]:
    """Consecutive parts in which no case appears twice."""
    parts: list[list[E]] = []
    seen: set[UUID] = set()
    for event in events:
        if not parts or case_of(event) in seen:
            parts.append([])
            seen = set()
        parts[-1].append(event)
        seen.add(case_of(event))
    return parts


def registrations_then_news(
    events: Sequence[E], *, is_registration: tuple[type[CaseEvent], ...]
) -> list[tuple[list[E], list[E]]]:
    """Consecutive parts of (registrations, news) in which a case has at most one of each,
    its registration (if any) before its news in the original order too, so applying all
    registrations of a part before all its news keeps every case's order."""
    parts: list[tuple[list[E], list[E]]] = []
    registered: set[UUID] = set()
    told: set[UUID] = set()
    for event in events:
        case = case_of(event)
        registration = isinstance(event.payload, is_registration)
        clash = case in registered or case in told if registration else case in told
        if not parts or clash:
            parts.append(([], []))
            registered, told = set(), set()
        registrations, news = parts[-1]
        (registrations if registration else news).append(event)
        (registered if registration else told).add(case)
    return parts
