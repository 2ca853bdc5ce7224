"""The volunteering service: volunteers and explainable matching (port 8003)."""

from fastapi import FastAPI

from cq_shared.audit.router import audit_router
from cq_shared.clock import Clock
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.service import ServiceContext, ServiceSpec, create_service_app
from cq_volunteering.demo import load_demo_volunteers
from cq_volunteering.matches.handlers import case_needs_consumer
from cq_volunteering.matches.router import router as matches_router
from cq_volunteering.settings import VolunteeringSettings
from cq_volunteering.volunteers.router import router as volunteers_router


def build_app(clock: Clock | None = None) -> FastAPI:
    settings = VolunteeringSettings()

    def consumers(context: ServiceContext) -> list[InboxConsumer]:
        return [case_needs_consumer(context)]

    app = create_service_app(
        ServiceSpec(
            name="volunteering",
            title="CareQuartier volunteering",
            description="Volunteers (Ehrenamtliche) of each site and explainable matching.",
            migrations="cq_volunteering:migrations",
            routers=[volunteers_router, matches_router, audit_router],
            consumers=consumers,
            on_startup=[load_demo_volunteers] if settings.demo_data else [],
        ),
        clock=clock,
    )
    return app


app = build_app()
