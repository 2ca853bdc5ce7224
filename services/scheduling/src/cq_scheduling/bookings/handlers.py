"""Kafka: the needs of newly opened cases (topic intake.cases)."""

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.bookings.case_needs import book_case_needs
from cq_shared.contracts.intake import CaseOpened
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.service import ServiceContext


def case_needs_consumer(context: ServiceContext) -> InboxConsumer:
    consumer = context.inbox_consumer("case-needs")

    @consumer.handles(CaseOpened)
    async def on_case_opened(session: AsyncSession, event: ReceivedEvent[CaseOpened]) -> None:
        await book_case_needs(session, context, event.payload)

    return consumer
