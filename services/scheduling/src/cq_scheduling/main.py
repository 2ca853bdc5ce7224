"""The scheduling service: resources, staff, counselling slots and bookings per site."""

import uuid
from collections.abc import Mapping

from fastapi import FastAPI
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.availability.router import router as availability_router
from cq_scheduling.bookings import holds, waiting
from cq_scheduling.bookings.handlers import case_needs_consumer
from cq_scheduling.bookings.hold_timer import HOLD_EXPIRY
from cq_scheduling.bookings.holds_router import router as holds_router
from cq_scheduling.bookings.router import router as bookings_router
from cq_scheduling.bookings.series_router import router as series_router
from cq_scheduling.bookings.telling import tell
from cq_scheduling.bookings.waiting_router import router as waiting_router
from cq_scheduling.courses.registrations import expire_offer
from cq_scheduling.courses.router import router as courses_router
from cq_scheduling.demo import load_demo_data
from cq_scheduling.sites.router import router as sites_router
from cq_scheduling.staffing import offers as shift_offers
from cq_scheduling.staffing.planning import OFFER_EXPIRY as SHIFT_OFFER_EXPIRY
from cq_scheduling.staffing.router import router as staffing_router
from cq_scheduling.waitlist import repository as waitlist
from cq_scheduling.waitlist.models import PoolKind
from cq_scheduling.waitlist.queue import OFFER_EXPIRY
from cq_shared.audit.router import audit_router
from cq_shared.clock import Clock
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.retry import PermanentError
from cq_shared.service import ServiceContext, ServiceSpec, create_service_app
from cq_shared.timers import Timer, TimerHandler


def consumers(context: ServiceContext) -> list[InboxConsumer]:
    return [case_needs_consumer(context)]


# The durable timers (docs/decisions/0009) and who handles them: a waiting list's offer runs
# out (a course's or a place's, by the pool's kind), a hold runs out, a shift offer runs out.
def _id(timer: Timer, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(timer.payload[name]))
    except (KeyError, ValueError) as error:
        raise PermanentError(f"a {timer.kind} timer without its {name}") from error


def offer_timers(context: ServiceContext) -> Mapping[str, TimerHandler]:
    async def expire(session: AsyncSession, timer: Timer) -> None:
        entry_id = _id(timer, "entry_id")
        entry = await waitlist.entry(session, entry_id)
        kind = None if entry is None else await waitlist.kind(session, entry.pool_id)
        if kind is not None and kind[0] == PoolKind.PLACE:
            now = context.clock.now()
            moves = await waiting.expire_offer(session, entry_id, now=now)
            await tell(session, context, moves, now=now)
        else:
            await expire_offer(session, context, entry_id)

    return {OFFER_EXPIRY: expire}


def hold_timers(context: ServiceContext) -> Mapping[str, TimerHandler]:
    async def expire(session: AsyncSession, timer: Timer) -> None:
        await holds.expire_hold(session, context, _id(timer, "booking_id"))

    return {HOLD_EXPIRY: expire}


def shift_offer_timers(context: ServiceContext) -> Mapping[str, TimerHandler]:
    async def expire(session: AsyncSession, timer: Timer) -> None:
        await shift_offers.expire(session, context, _id(timer, "offer_id"))

    return {SHIFT_OFFER_EXPIRY: expire}


def timers(context: ServiceContext) -> Mapping[str, TimerHandler]:
    # Looked up at call time, so a test process can swap one of them for a blocking one.
    return {**offer_timers(context), **hold_timers(context), **shift_offer_timers(context)}


def build_app(clock: Clock | None = None) -> FastAPI:
    spec = ServiceSpec(
        name="scheduling",
        title="CareQuartier scheduling",
        description=(
            "Resources (Pflegegästewohnung, rooms, day-care places), staff, counselling slots "
            "and bookings per site. Books the needs of opened cases; never double-books. Courses "
            "with one waiting list that promotes itself, for places too; holds; recurring series. "
            "Staff gaps: shift plans, absences, and offers from the site's pool within the "
            "Arbeitszeitgesetz."
        ),
        migrations="cq_scheduling:migrations",
        routers=[
            bookings_router,
            holds_router,
            series_router,
            waiting_router,
            sites_router,
            availability_router,
            courses_router,
            staffing_router,
            audit_router,
        ],
        consumers=consumers,
        timers=timers,
        on_startup=[load_demo_data],
    )
    return create_service_app(spec, clock=clock)


app = build_app()
