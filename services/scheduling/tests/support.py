"""Builders and probes of the scheduling tests (the generic ones are in cq_testing)."""

import uuid
from datetime import UTC, date, datetime

from sqlmodel import select

from cq_scheduling.bookings.models import Booking
from cq_shared.contracts import Language, NeedType
from cq_shared.contracts.common import CareLevel, Urgency
from cq_shared.contracts.intake import CaseOpened, NeedRequested
from cq_shared.db.database import Database

# The services' clock in these tests: Monday 4 March 2030, 08:00 in Berlin (CET, UTC+1).
NOW = datetime(2030, 3, 4, 7, 0, tzinfo=UTC)


def need(kind: NeedType, start: date | None = None, days: int | None = None) -> NeedRequested:
    return NeedRequested(need_id=uuid.uuid4(), type=kind, start=start, days=days)


def case_opened(site: str, *needs: NeedRequested, language: Language = Language.DE) -> CaseOpened:
    return CaseOpened(
        case_id=uuid.uuid4(),
        site=site,
        urgency=Urgency.EMERGENCY,
        channel="phone",
        language=language,
        postal_code="67655",
        care_level=CareLevel.PG3,
        needs=list(needs),
        share_with_volunteers=False,
    )


async def bookings_of(database: Database, case_id: uuid.UUID) -> list[Booking]:
    async with database.unit_of_work() as session:
        found = await session.exec(select(Booking).where(Booking.case_id == case_id))
        return list(found.all())
