"""The scheduling service: resources, staff, counselling slots and bookings per site."""

from collections.abc import Mapping

from fastapi import FastAPI

from cq_scheduling.availability.router import router as availability_router
from cq_scheduling.bookings.handlers import case_needs_consumer
from cq_scheduling.bookings.holds_router import router as holds_router
from cq_scheduling.bookings.router import router as bookings_router
from cq_scheduling.bookings.series_router import router as series_router
from cq_scheduling.bookings.waiting_router import router as waiting_router
from cq_scheduling.courses.router import router as courses_router
from cq_scheduling.demo import load_demo_data
from cq_scheduling.sites.router import router as sites_router
from cq_scheduling.timers import hold_timers, offer_timers
from cq_shared.audit.router import audit_router
from cq_shared.clock import Clock
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.service import ServiceContext, ServiceSpec, create_service_app
from cq_shared.timers import TimerHandler


def consumers(context: ServiceContext) -> list[InboxConsumer]:
    return [case_needs_consumer(context)]


def timers(context: ServiceContext) -> Mapping[str, TimerHandler]:
    # Looked up at call time, so a test process can swap one of them for a blocking one.
    return {**offer_timers(context), **hold_timers(context)}


def build_app(clock: Clock | None = None) -> FastAPI:
    spec = ServiceSpec(
        name="scheduling",
        title="CareQuartier scheduling",
        description=(
            "Resources (Pflegegästewohnung, rooms, day-care places), staff, counselling slots "
            "and bookings per site. Books the needs of opened cases; never double-books. Courses "
            "with one waiting list that promotes itself, for places too; holds; recurring series."
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
            audit_router,
        ],
        consumers=consumers,
        timers=timers,
        on_startup=[load_demo_data],
    )
    return create_service_app(spec, clock=clock)


app = build_app()
