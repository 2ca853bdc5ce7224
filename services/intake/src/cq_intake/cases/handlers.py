"""Intake's consumer: one group, `intake.case-progress`, for every report about a need."""

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_intake.cases.progress import FOLLOWED, apply_report, report_of
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.service import ServiceContext


def case_progress_consumer(context: ServiceContext) -> InboxConsumer:
    consumer = context.inbox_consumer("case-progress")

    async def follow(session: AsyncSession, event: ReceivedEvent[Any]) -> None:
        await apply_report(session, report_of(event.payload), now=context.clock.now())

    for event_type in FOLLOWED:
        consumer.handles(event_type)(follow)
    return consumer


def consumers(context: ServiceContext) -> list[InboxConsumer]:
    return [case_progress_consumer(context)]
