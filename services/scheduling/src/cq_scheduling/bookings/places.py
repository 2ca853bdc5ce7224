"""Which pool of the one waiting list (decision 0018) a place's period queues in, and the
lock that puts people waiting and people freeing places in one order.

A day-care place is asked for by the day, so a day is a pool: everybody in it wants the same
thing and the queue is strictly first come, first served. The guest apartment is asked for by
a period of nights; a pool per period would never meet a cancellation of another period, so
the type is one pool and each entry carries its period (a freed period goes to the first
waiting entry it fits). Pools are made on first use. A day's capacity is the number of the
site's places of the type, which bounds the day's open offers (each holds a seat). A period
pool's offers are bounded by the bookings' exclusion constraint instead: one apartment can
be offered for March and for April at once, so its pool has a seat per night of the booking
horizon per apartment (decision 0018, addendum "Period pools")."""

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.availability.days import days_touched
from cq_scheduling.sites import repository as sites
from cq_scheduling.sites.models import ResourceType
from cq_scheduling.waitlist import repository as waitlist
from cq_scheduling.waitlist.models import CapacityPool, PoolKind, WaitlistPolicy
from cq_scheduling.waitlist.repository import LockedPool
from cq_shared.sites import Site

IDS = uuid.UUID("3c1e9a57-0b8d-4f63-a2e4-8d5b7c9f1e20")  # namespace of the places' pool ids
PER_DAY = frozenset({ResourceType.DAY_CARE_PLACE.value})
# Seats of a period pool per resource: more than the disjoint periods (a night at least) one
# resource can hold within the booking horizon, so a seat is never what stops an offer.
PERIOD_SEATS = 400


def capacity_of(resource_type: str, resources: int) -> int:
    """The pool's seats: a day's places, or (a period pool) a bound no offer reaches."""
    return resources if resource_type in PER_DAY else resources * PERIOD_SEATS


async def policy_of(
    session: AsyncSession, site_id: str, resource_type: str
) -> WaitlistPolicy | None:
    """None: the site does not waitlist this type (a need finding no place is refused)."""
    return await session.get(WaitlistPolicy, (site_id, resource_type))


def pool_ids(
    site: Site, site_id: str, resource_type: str, start: datetime, end: datetime
) -> list[uuid.UUID]:
    """The pools a period of the type belongs to, in the one order they are locked in."""
    if resource_type in PER_DAY:
        days = days_touched(site, resource_type, start, end)
        return sorted(uuid.uuid5(IDS, f"{site_id}/{resource_type}/{day}") for day in days)
    return [uuid.uuid5(IDS, f"{site_id}/{resource_type}")]


async def lock_pools(
    session: AsyncSession,
    site: Site,
    site_id: str,
    resource_type: str,
    period: tuple[datetime, datetime],
    *,
    now: datetime,
) -> list[LockedPool]:
    """Make and lock the period's pools, before a booking of the type is tried or freed:
    a request that finds nothing free then waits in a queue that a concurrent cancellation
    sees (it waits for this lock), never in one it already passed. [] if the site keeps no
    waiting list for the type."""
    locked = await lock_all(session, site, site_id, resource_type, [period], now=now)
    return list(locked.values())


async def lock_all(
    session: AsyncSession,
    site: Site,
    site_id: str,
    resource_type: str,
    periods: Sequence[tuple[datetime, datetime]],
    *,
    now: datetime,
) -> dict[uuid.UUID, LockedPool]:
    """The pools of several periods (a series' days), all locked before any booking of
    them is tried, in id order: two series over the same days cannot deadlock."""
    policy = await policy_of(session, site_id, resource_type)
    if policy is None:
        return {}
    resources = len(await sites.resources(session, site_id, resource_type))
    if resources == 0:
        return {}
    capacity = capacity_of(resource_type, resources)
    ids = sorted(
        {i for start, end in periods for i in pool_ids(site, site_id, resource_type, start, end)}
    )
    locked = {}
    for pool_id in ids:
        pool = CapacityPool(
            id=pool_id,
            site=site_id,
            kind=PoolKind.PLACE,
            resource_type=resource_type,
            capacity=capacity,
            promotion=policy.promotion,
            hold_hours=policy.hold_hours,
            created_at=now,
        )
        await waitlist.ensure_pool(session, pool)
        found = await waitlist.lock(session, pool_id)
        assert found is not None, "made above"
        locked[pool_id] = found
    return locked
