"""Builders and probes of the staffing tests: Kaiserslautern's demo staff (demo_data.toml)."""

import itertools
import uuid
from datetime import timedelta
from typing import Any

from cq_scheduling.staffing.seed import IDS
from cq_shared.db.database import Database
from cq_testing import rows

KL = "kaiserslautern"


def member(key: str) -> uuid.UUID:
    """A demo staff member's id, as the seed derives it."""
    return uuid.uuid5(IDS, f"{KL}/{key}")


async def work_of_everyone(database: Database) -> dict[str, list[tuple[Any, Any]]]:
    """Each person's assigned shifts and open offers (tentative shifts), sorted."""
    found = await rows(
        database,
        "SELECT staff_id, starts_at, ends_at FROM shifts WHERE staff_id IS NOT NULL "
        "UNION ALL SELECT staff_id, starts_at, ends_at FROM shift_offers "
        "WHERE status = 'offered' ORDER BY 1, 2",
    )
    work: dict[str, list[tuple[Any, Any]]] = {}
    for staff_id, start, end in found:
        work.setdefault(str(staff_id), []).append((start, end))
    return work


def rest_kept(periods: list[tuple[Any, Any]]) -> bool:
    """No overlap and at least 11 hours between one's shifts (ArbZG § 5)."""
    return all(
        later[0] - earlier[1] >= timedelta(hours=11)
        for earlier, later in itertools.pairwise(periods)
    )
