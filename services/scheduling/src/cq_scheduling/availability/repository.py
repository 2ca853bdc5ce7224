"""The availability SQL: places of a type at a site, and how many are booked, per day."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import text
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.availability.days import day_window
from cq_shared.sites import Site

# One statement for all days: the days' windows arrive as arrays. A place is booked on a day
# when a confirmed or held booking of it overlaps the day's window (a hold takes the place
# while the front desk is on the phone): the same half-open ranges and statuses the
# bookings' exclusion constraint compares).
_PER_DAY = text(
    """
    SELECT w.day,
           (SELECT count(*) FROM resources r WHERE r.site = :site AND r.type = :type),
           (SELECT count(DISTINCT b.resource_id) FROM bookings b
             WHERE b.site = :site AND b.resource_type = :type
               AND b.status IN ('confirmed', 'held')
               AND tstzrange(b.starts_at, b.ends_at) && tstzrange(w.starts, w.ends))
      FROM unnest(CAST(:days AS date[]), CAST(:starts AS timestamptz[]),
                  CAST(:ends AS timestamptz[])) AS w(day, starts, ends)
     ORDER BY w.day
    """
)
# Bookings that change a type's figures at a site queue here until the one before commits, so
# each announced figure counts the bookings committed before it (two concurrent bookings
# would otherwise each count only their own and both announce one place too many).
_LOCK_TYPE = text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))")


@dataclass(frozen=True)
class DayCapacity:
    day: date
    capacity: int
    booked: int

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)


async def per_day(
    session: AsyncSession, site_id: str, site: Site, resource_type: str, days: list[date]
) -> list[DayCapacity]:
    windows = [day_window(site, resource_type, day) for day in days]
    result = await session.execute(
        _PER_DAY,
        {
            "site": site_id,
            "type": resource_type,
            "days": days,
            "starts": [start for start, _ in windows],
            "ends": [end for _, end in windows],
        },
    )
    return [DayCapacity(day, capacity, booked) for day, capacity, booked in result.all()]


async def lock_type(session: AsyncSession, site: str, resource_type: str) -> None:
    await session.execute(_LOCK_TYPE, {"key": f"availability:{site}:{resource_type}"})
