"""Builders of the place tests: Zwenkau's day-care places (12, waitlisted automatically in
the demo data) and the cases that fill them."""

import uuid
from datetime import date

from cq_scheduling.bookings.case_needs import book_case_needs
from cq_shared.contracts import NeedType
from cq_shared.contracts.common import Weekday
from cq_shared.contracts.intake import CaseOpened, NeedRequested
from cq_shared.service import ServiceContext

from .support import case_opened, need

ZW = "zwenkau"
PLACES = 12  # Tagespflegeplätze in Zwenkau (demo_data.toml)


async def handle(context: ServiceContext, case: CaseOpened) -> None:
    """What the consumer does with one event: its own transaction."""
    async with context.database.unit_of_work() as session:
        await book_case_needs(session, context, case)


async def fill(context: ServiceContext, day: date, n: int = PLACES) -> list[CaseOpened]:
    """`n` day guests booked on `day`, one case each."""
    cases = [case_opened(ZW, need(NeedType.DAY_CARE, day)) for _ in range(n)]
    for case in cases:
        await handle(context, case)
    return cases


def series_need(start: date, until: date, *days: Weekday) -> NeedRequested:
    return NeedRequested(
        need_id=uuid.uuid4(), type=NeedType.DAY_CARE, start=start, until=until, weekdays=list(days)
    )
