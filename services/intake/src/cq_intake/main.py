"""The intake app: `build_app()` for tests and tools, `app` for uvicorn."""

from fastapi import FastAPI

from cq_intake.cases.router import router as cases_router
from cq_intake.consent.router import router as consent_router
from cq_intake.consumers import consumers
from cq_intake.erasure.router import router as erasure_router
from cq_intake.statistics.daily_publication import daily_timers, ensure_daily_timers
from cq_intake.statistics.router import router as statistics_router
from cq_shared.audit.router import audit_router
from cq_shared.clock import Clock
from cq_shared.service import ServiceSpec, create_service_app

DESCRIPTION = """The one contact point of a neighbourhood care network: a person or a relative
asks for help once (`POST /v1/requests`); intake opens a case, and scheduling and volunteering
arrange its needs. `GET /v1/cases/{case_id}` shows how far they got."""


def build_app(clock: Clock | None = None) -> FastAPI:
    """Nothing connects here; the lifespan migrates, starts the consumer and the relay."""
    return create_service_app(
        ServiceSpec(
            name="intake",
            title="CareQuartier intake",
            description=DESCRIPTION,
            migrations="cq_intake:migrations",
            routers=[
                cases_router,
                consent_router,
                erasure_router,
                statistics_router,
                audit_router,
            ],
            consumers=consumers,
            timers=daily_timers,
            on_startup=[ensure_daily_timers],
        ),
        clock=clock,
    )


app = build_app()
