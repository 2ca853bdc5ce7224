"""Builders and probes of the scheduling tests (the generic ones are in cq_testing)."""

import uuid
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlmodel import select

import cq_testing
from cq_scheduling.bookings.models import Booking
from cq_shared.contracts import Language
from cq_shared.contracts.intake import CaseOpened, NeedRequested
from cq_shared.db.database import Database
from cq_testing import need

# The services' clock in these tests: Monday 4 March 2030, 08:00 in Berlin (CET, UTC+1).
NOW = datetime(2030, 3, 4, 7, 0, tzinfo=UTC)
KL = "kaiserslautern"

__all__ = [
    "KL",
    "NOW",
    "a_week_in_the_guest_apartment",
    "bookings_of",
    "case_opened",
    "need",
]  # need: cq_testing's


def case_opened(site: str, *needs: NeedRequested, language: Language = Language.DE) -> CaseOpened:
    """An emergency case (Pflegegrad 3) that does not share with volunteers."""
    return cq_testing.case_opened(site, *needs, language=language, share_with_volunteers=False)


async def a_week_in_the_guest_apartment(client: httpx.AsyncClient, headers: Any) -> dict[str, str]:
    """A manual booking of Kaiserslautern's one guest apartment for a week in March 2030 (the
    demo data's apartment, as the resources API lists it)."""
    [apartment] = (
        await client.get(f"/v1/sites/{KL}/resources?type=guest_apartment", headers=headers)
    ).json()
    return {
        "site": KL,
        "resource_id": apartment["resource_id"],
        "start": "2030-03-10T12:00:00+01:00",
        "end": "2030-03-17T12:00:00+01:00",
    }


async def bookings_of(database: Database, case_id: uuid.UUID) -> list[Booking]:
    async with database.unit_of_work() as session:
        found = await session.exec(select(Booking).where(Booking.case_id == case_id))
        return list(found.all())
