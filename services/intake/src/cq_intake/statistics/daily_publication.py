"""The daily public count of needs per site (`public.needs-daily.v1`, journey 7).

A durable timer per site fires shortly after each local midnight and publishes the day that
has just ended, then schedules itself for the next one. Only closed days are published, once
each: counts of a day still running, published again later, would differ by the few cases in
between and single them out. If intake was down over several midnights, the timer fires late
and catches up one day after the other.
"""

from collections.abc import Mapping
from datetime import date, time, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_intake.statistics import repository
from cq_shared.contracts.public import SMALL_COUNT_THRESHOLD, DailyNeedCounts, need_count
from cq_shared.service import ServiceContext
from cq_shared.timers import Timer, TimerHandler, schedule_timer

KIND = "public.needs-daily"
# A quarter of an hour after midnight: a case opened at 23:59:59 has long committed.
PUBLISH_AT = time(0, 15)


def _key(site: str) -> str:
    return f"public-needs-daily:{site}"


async def _schedule(
    session: AsyncSession, context: ServiceContext, site: str, day: date, *, if_absent: bool
) -> None:
    await schedule_timer(
        session,
        key=_key(site),
        kind=KIND,
        at=context.sites[site].at(day + timedelta(days=1), PUBLISH_AT),
        payload={"date": day.isoformat()},
        site=site,
        if_absent=if_absent,
    )


async def ensure_daily_timers(context: ServiceContext) -> None:
    """At start-up: every site this deployment serves has its timer (today's, unless one is
    pending already: a pending older day is kept, so missed days are caught up)."""
    now = context.clock.now()
    async with context.database.unit_of_work() as session:
        for site, place in sorted(context.sites.sites.items()):
            if place.runs(context.name):
                await _schedule(session, context, site, place.today(now), if_absent=True)


def daily_timers(context: ServiceContext) -> Mapping[str, TimerHandler]:
    async def publish_day(session: AsyncSession, timer: Timer) -> None:
        site = timer.site
        if not context.sites.serves(site, context.name):
            return  # the site left this deployment: its series ends
        place = context.sites[site]
        day = date.fromisoformat(str(timer.payload["date"]))
        start, end = place.whole_day(day)
        found = await repository.needs_by_type(session, site, start, end)
        offered = sorted({*place.needs, *found})
        event = DailyNeedCounts(
            site=site,
            date=day,
            threshold=SMALL_COUNT_THRESHOLD,
            counts=[need_count(kind, found.get(kind, 0)) for kind in offered],
        )
        await context.writer.add(session, event, subject=f"{site}/{day}", site=site)
        await _schedule(session, context, site, day + timedelta(days=1), if_absent=False)

    return {KIND: publish_day}
