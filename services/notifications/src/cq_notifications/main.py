"""The notifications service: consent-aware messages in the recipient's language.

People arrive only by event (intake's RecipientsRegistered, scheduling's
StaffMemberRegistered); events of the other services
become pending deliveries; a background loop sends them over SMTP. Public events go to the
branches' webhook subscriptions, one timer per attempt (webhooks/, decision 0017).
"""

from collections.abc import Sequence

from fastapi import FastAPI

from cq_notifications.consumers import case_keys_consumer, recipients_consumer, staffing_consumer
from cq_notifications.deliveries.handlers import case_updates_consumer
from cq_notifications.deliveries.parked_metrics import parked_events_reporter
from cq_notifications.deliveries.router import router as deliveries_router
from cq_notifications.deliveries.sender import sender_loop
from cq_notifications.webhooks.attempts import attempt_handler
from cq_notifications.webhooks.handlers import webhooks_consumer
from cq_notifications.webhooks.router import router as webhooks_router
from cq_notifications.webhooks.schedule import TIMER_KIND
from cq_shared.audit.router import audit_router
from cq_shared.clock import Clock
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.service import ServiceContext, ServiceSpec, create_service_app
from cq_shared.timers import TimerHandler


def consumers(context: ServiceContext) -> Sequence[InboxConsumer]:
    return [
        recipients_consumer(context),
        case_keys_consumer(context),
        case_updates_consumer(context),
        webhooks_consumer(context),
        staffing_consumer(context),
    ]


def timers(context: ServiceContext) -> dict[str, TimerHandler]:
    return {TIMER_KIND: attempt_handler(context.clock)}


def build_app(clock: Clock | None = None) -> FastAPI:
    return create_service_app(
        ServiceSpec(
            name="notifications",
            title="CareQuartier notifications",
            description="Consent-aware messages to clients, relatives and volunteers, "
            "each in their language.",
            migrations="cq_notifications:migrations",
            routers=[deliveries_router, webhooks_router, audit_router],
            consumers=consumers,
            background=[sender_loop, parked_events_reporter],
            timers=timers,
        ),
        clock=clock,
    )


app = build_app()
