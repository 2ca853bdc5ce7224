"""Kafka: intake's cases (consumer group `volunteering.case-needs`). A new case's volunteer
needs become proposals; an erased case's matches are withdrawn and its client data erased."""

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.contracts.intake import CaseErased, CaseOpened
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.service import ServiceContext
from cq_volunteering.matches import service


def case_needs_consumer(context: ServiceContext) -> InboxConsumer:
    consumer = context.inbox_consumer("case-needs")

    @consumer.handles(CaseOpened)
    async def on_case_opened(session: AsyncSession, event: ReceivedEvent[CaseOpened]) -> None:
        await service.open_case_needs(session, context, event.payload)

    @consumer.handles(CaseErased)
    async def on_case_erased(session: AsyncSession, event: ReceivedEvent[CaseErased]) -> None:
        await service.erase_case(session, context.clock, event.payload.case_id)

    return consumer
