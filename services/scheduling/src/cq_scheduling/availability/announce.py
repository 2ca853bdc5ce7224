"""Announce the new figures of the days a booking change touched, on the public availability
topic (`public.availability.v1`), in the transaction of the change."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import get_args

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.availability import repository
from cq_scheduling.availability.days import days_touched
from cq_shared.contracts.public import PlacesAvailable, PlaceType
from cq_shared.messaging.outbox import EventWriter, Staged
from cq_shared.sites import SiteCatalogue

# Only places a branch may see are announced; counselling rooms are internal.
PUBLIC_PLACE_TYPES: frozenset[str] = frozenset(get_args(PlaceType))


@dataclass(frozen=True)
class PlaceChange:
    """A booking of `resource_type` at `site` for [start, end) was made or cancelled."""

    site: str
    resource_type: str
    start: datetime
    end: datetime


async def announce(
    session: AsyncSession,
    writer: EventWriter,
    sites: SiteCatalogue,
    changes: Iterable[PlaceChange],
) -> None:
    """Stage one `PlacesAvailable` per touched day. Call it last in the transaction, after
    every booking change: it takes each (site, type) lock in a fixed order, so two
    transactions that touch several types cannot deadlock on them."""
    touched: dict[tuple[str, str], set[date]] = {}
    for change in changes:
        if change.resource_type in PUBLIC_PLACE_TYPES:
            site = sites[change.site]
            days = days_touched(site, change.resource_type, change.start, change.end)
            touched.setdefault((change.site, change.resource_type), set()).update(days)
    staged: list[Staged] = []
    for site_id, resource_type in sorted(touched):
        await repository.lock_type(session, site_id, resource_type)
        days = sorted(touched[(site_id, resource_type)])
        figures = await repository.per_day(session, site_id, sites[site_id], resource_type, days)
        for figure in figures:
            event = PlacesAvailable(
                site=site_id,
                date=figure.day,
                resource_type=resource_type,  # one of PUBLIC_PLACE_TYPES
                capacity=figure.capacity,
                free=figure.free,
            )
            staged.append(Staged(event, f"{site_id}/{resource_type}/{figure.day}", site_id))
    if staged:
        await writer.add_many(session, staged)
