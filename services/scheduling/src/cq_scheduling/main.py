"""The scheduling service: resources, staff, counselling slots and bookings per site."""

from fastapi import FastAPI

from cq_scheduling.availability.router import router as availability_router
from cq_scheduling.bookings.handlers import case_needs_consumer
from cq_scheduling.bookings.router import router as bookings_router
from cq_scheduling.courses.router import router as courses_router
from cq_scheduling.courses.timers import offer_timers
from cq_scheduling.demo import load_demo_data
from cq_scheduling.sites.router import router as sites_router
from cq_shared.audit.router import audit_router
from cq_shared.clock import Clock
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.service import ServiceContext, ServiceSpec, create_service_app


def consumers(context: ServiceContext) -> list[InboxConsumer]:
    return [case_needs_consumer(context)]


def build_app(clock: Clock | None = None) -> FastAPI:
    spec = ServiceSpec(
        name="scheduling",
        title="CareQuartier scheduling",
        description=(
            "Resources (Pflegegästewohnung, rooms, day-care places), staff, counselling slots "
            "and bookings per site. Books the needs of opened cases; never double-books. Courses "
            "with one waiting list that promotes itself."
        ),
        migrations="cq_scheduling:migrations",
        routers=[bookings_router, sites_router, availability_router, courses_router, audit_router],
        consumers=consumers,
        timers=offer_timers,
        on_startup=[load_demo_data],
    )
    return create_service_app(spec, clock=clock)


app = build_app()
