"""Erasure request → complete, under the journey load: cases opened (and carried through their
journey) before the load are erased at a modest fixed rate while the fixed-rate journeys run.

Timing comes from the platform, not from polling: `GET .../erasure` is read about once a
second per pending case, and its times are used, not when the poll saw them.
- to last receipt: the last service receipt's `erased_at` minus `requested_at` (intake's clock
  when it erased its own copy, in the POST). The services' clocks differ, but all are the one
  machine's system clock. It leaves out the last receipt's way back to intake.
- to complete: when intake recorded that last receipt (its inbox row's `processed_at`, the
  start of the transaction that stored the receipt and so turned `complete` true) minus
  `requested_at`. The receipt's event id is read from the sending service's outbox."""

import asyncio
import time
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bench.figures import Section, latency_summary
from bench.load import at_fixed_rate
from cq_devstack.platform import Platform
from cq_shared.contracts.notifications import NotificationsErasureCompleted
from cq_shared.contracts.scheduling import SchedulingErasureCompleted
from cq_shared.contracts.volunteering import VolunteeringErasureCompleted

NAME = "erasure to complete"
POLL_EVERY_S = 1.0
RECEIPTS = {
    "scheduling": SchedulingErasureCompleted.event_type,
    "volunteering": VolunteeringErasureCompleted.event_type,
    "notifications": NotificationsErasureCompleted.event_type,
}
_RECEIPT_IDS = text(
    "SELECT subject, event_id::text FROM outbox "
    "WHERE event_type = :type AND subject = ANY(CAST(:cases AS text[]))"
)
_RECORDED = text(
    "SELECT event_id, processed_at FROM inbox WHERE event_id = ANY(CAST(:ids AS text[]))"
)


@dataclass
class Erasure:
    case_id: str
    requested_at: datetime | None = None
    receipts: dict[str, datetime] = field(default_factory=dict)  # service → erased_at
    complete: bool = False


def _read_status(erasure: Erasure, body: dict[str, Any]) -> None:
    erasure.requested_at = datetime.fromisoformat(body["requested_at"])
    erasure.receipts = {
        name: datetime.fromisoformat(state["erased_at"])
        for name, state in body["services"].items()
        if state["status"] == "erased" and state["erased_at"]
    }
    erasure.complete = bool(body["complete"])


async def erase_at_rate(
    platform: Platform,
    client: httpx.AsyncClient,
    site: str,
    cases: list[str],
    rate_per_s: float,
) -> list[Erasure]:
    """POST each case's erasure at `rate_per_s` (open loop, like the journeys)."""
    headers = platform.auth("coordinator", site)
    erasures = [Erasure(case) for case in cases]

    async def send(index: int) -> None:
        erasure = erasures[index]
        response = await client.post(
            platform.url("intake", f"/v1/cases/{erasure.case_id}/erasure"), headers=headers
        )
        response.raise_for_status()
        _read_status(erasure, response.json())

    await at_fixed_rate(send, rate_per_s, len(erasures))
    return erasures


async def await_complete(
    platform: Platform,
    client: httpx.AsyncClient,
    site: str,
    erasures: list[Erasure],
    timeout: float,
) -> None:
    """Read each pending erasure's status about once a second, one request at a time."""
    headers = platform.auth("coordinator", site)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pending = [e for e in erasures if not e.complete]
        if not pending:
            return
        for erasure in pending:
            response = await client.get(
                platform.url("intake", f"/v1/cases/{erasure.case_id}/erasure"), headers=headers
            )
            response.raise_for_status()
            _read_status(erasure, response.json())
        await asyncio.sleep(POLL_EVERY_S)


async def _recorded_at(platform: Platform, erasures: list[Erasure]) -> dict[str, datetime]:
    """Per case, when intake stored the last of the other services' receipts."""
    cases = [e.case_id for e in erasures]
    case_of: dict[str, str] = {}  # receipt event id → case id
    for service, event_type in RECEIPTS.items():
        engine = create_async_engine(platform.databases[service], pool_size=1)
        try:
            async with engine.connect() as connection:
                rows = await connection.execute(_RECEIPT_IDS, {"type": event_type, "cases": cases})
                case_of.update({event_id: case for case, event_id in rows.all()})
        finally:
            await engine.dispose()
    engine = create_async_engine(platform.databases["intake"], pool_size=1)
    try:
        async with engine.connect() as connection:
            rows = await connection.execute(_RECORDED, {"ids": list(case_of)})
            found = rows.all()
    finally:
        await engine.dispose()
    recorded: dict[str, list[datetime]] = {}
    for event_id, processed_at in found:
        recorded.setdefault(case_of[event_id], []).append(processed_at)
    # Only cases with every receipt found: a missing one would make the figure too small.
    return {case: max(times) for case, times in recorded.items() if len(times) == len(RECEIPTS)}


async def erasure_section(
    platform: Platform, erasures: list[Erasure], *, rate_per_s: float
) -> Section:
    done = [e for e in erasures if e.complete and e.requested_at is not None and e.receipts]
    to_receipt = [
        (max(e.receipts.values()) - e.requested_at).total_seconds()
        for e in done
        if e.requested_at is not None
    ]
    recorded = await _recorded_at(platform, done)
    to_complete = [
        (recorded[e.case_id] - e.requested_at).total_seconds()
        for e in done
        if e.case_id in recorded and e.requested_at is not None
    ]
    complete = latency_summary(to_complete)
    section = Section(
        NAME,
        {
            "offered_per_s": rate_per_s,
            "requested": len(erasures),
            "completed": len(done),
            # The headline: request → last receipt's erased_at (the receipts' own times).
            **latency_summary(to_receipt),
            # Request → intake stored the last receipt (`complete` turned true).
            "recorded_p50_ms": complete["p50_ms"],
            "recorded_p95_ms": complete["p95_ms"],
            "recorded_p99_ms": complete["p99_ms"],
            "recorded_samples": complete["samples"],
        },
    )
    section.samples["erasure_ms"] = [s * 1000 for s in to_receipt]
    return section
