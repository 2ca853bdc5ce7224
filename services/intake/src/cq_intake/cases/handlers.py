"""Reports about a case's needs, on intake's case-progress consumer (see consumers.py)."""

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_intake.cases.progress import FOLLOWED, apply_report, report_of
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.service import ServiceContext


def register(consumer: InboxConsumer, context: ServiceContext) -> None:
    async def follow(session: AsyncSession, event: ReceivedEvent[Any]) -> None:
        report = report_of(event.payload)
        if report is not None:
            await apply_report(session, report, now=context.clock.now())

    for event_type in FOLLOWED:
        consumer.handles(event_type)(follow)
