"""The events the waiting list's moves of a place become (cq_shared.contracts.scheduling,
topic scheduling.bookings, keyed by case)."""

from cq_scheduling.waitlist.models import PoolEntry
from cq_shared.contracts.scheduling import (
    PlaceOffered,
    PlacePromoted,
    PlaceWaitEnded,
    PlaceWaitlisted,
    PlaceWaitlistEvent,
)
from cq_shared.messaging.outbox import Staged


def _common(entry: PoolEntry, resource_type: str) -> dict[str, object]:
    assert entry.starts_at is not None, "a place's entry"
    assert entry.ends_at is not None, "a place's entry"
    return {
        "case_id": entry.case_id,
        "site": entry.site,
        "entry_id": entry.id,
        "need_id": entry.need_id,
        "resource_type": resource_type,
        "start": entry.starts_at,
        "end": entry.ends_at,
    }


def waitlisted(entry: PoolEntry, resource_type: str, position: int) -> PlaceWaitlisted:
    return PlaceWaitlisted.model_validate({**_common(entry, resource_type), "position": position})


def offered(entry: PoolEntry, resource_type: str, resource_name: str) -> PlaceOffered:
    return PlaceOffered.model_validate(
        {
            **_common(entry, resource_type),
            "booking_id": entry.booking_id,
            "resource_name": resource_name,
            "expires_at": entry.offer_expires_at,
        }
    )


def promoted(entry: PoolEntry, resource_type: str, resource_name: str) -> PlacePromoted:
    return PlacePromoted.model_validate(
        {
            **_common(entry, resource_type),
            "booking_id": entry.booking_id,
            "resource_name": resource_name,
        }
    )


def ended(entry: PoolEntry, resource_type: str) -> PlaceWaitEnded:
    return PlaceWaitEnded.model_validate({**_common(entry, resource_type), "status": entry.status})


def staged(event: PlaceWaitlistEvent) -> Staged:
    return Staged(event, str(event.case_id), event.site)
