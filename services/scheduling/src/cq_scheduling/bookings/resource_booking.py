"""Book one of a site's resources of a type (guest apartment, day-care place) for a need, a
hold or a person promoted from the waiting list."""

from collections.abc import Callable
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.bookings import repository
from cq_scheduling.bookings.events import Reason, confirmed
from cq_scheduling.bookings.models import Booking
from cq_scheduling.bookings.need import CaseNeed, Outcome
from cq_scheduling.sites import repository as sites
from cq_scheduling.sites.models import Resource


async def claim_any(
    session: AsyncSession,
    site: str,
    resource_type: str,
    make: Callable[[Resource], Booking],
) -> tuple[Booking, Resource] | None:
    """Try the site's resources of the type in name order; the first one the database
    accepts wins (the booking `make` gives for it). No availability pre-check: it would
    race, the exclusion constraint cannot. None when every one is taken (or none exists)."""
    for resource in await sites.resources(session, site, resource_type):
        booking = make(resource)
        try:
            await repository.insert(session, booking)
        except repository.AlreadyBookedError:
            continue
        return booking, resource
    return None


async def book_any(
    session: AsyncSession, need: CaseNeed, resource_type: str, start: datetime, end: datetime
) -> Outcome:
    if not await sites.resources(session, need.site, resource_type):
        return need.unavailable(resource_type, Reason.NO_RESOURCE, start, end)
    claimed = await claim_any(
        session,
        need.site,
        resource_type,
        lambda resource: need.booking(resource_type, start, end, resource_id=resource.id),
    )
    if claimed is None:
        return need.unavailable(resource_type, Reason.NO_CAPACITY, start, end)
    booking, resource = claimed
    return confirmed(booking, resource.name)
