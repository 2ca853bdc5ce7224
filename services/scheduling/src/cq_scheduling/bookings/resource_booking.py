"""Book one of a site's resources of a type (guest apartment, day-care place) for a need."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.bookings import repository
from cq_scheduling.bookings.events import Reason, confirmed
from cq_scheduling.bookings.need import CaseNeed, Outcome
from cq_scheduling.sites import repository as sites


async def book_any(
    session: AsyncSession, need: CaseNeed, resource_type: str, start: datetime, end: datetime
) -> Outcome:
    """Try the site's resources of `resource_type` in name order; the first one the database
    accepts wins. No availability pre-check: it would race, the exclusion constraint cannot."""
    candidates = await sites.resources(session, need.site, resource_type)
    if not candidates:
        return need.unavailable(resource_type, Reason.NO_RESOURCE, start, end)
    for resource in candidates:
        booking = need.booking(resource_type, start, end, resource_id=resource.id)
        try:
            await repository.insert(session, booking)
        except repository.AlreadyBookedError:
            continue
        return confirmed(booking, resource.name)
    return need.unavailable(resource_type, Reason.NO_CAPACITY, start, end)
