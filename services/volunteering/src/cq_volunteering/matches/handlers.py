"""Kafka: intake's cases (consumer group `volunteering.case-needs`). A new case's volunteer
needs become proposals; an erased case's matches are withdrawn and its client data erased."""

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.contracts.intake import (
    AnyCaseOpened,
    CaseErased,
    CaseOpened,
    CaseOpenedV2,
    ConsentChanged,
)
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.service import ServiceContext
from cq_volunteering.matches import service


def case_needs_consumer(context: ServiceContext) -> InboxConsumer:
    consumer = context.inbox_consumer("case-needs")

    async def on_case_opened(session: AsyncSession, event: ReceivedEvent[AnyCaseOpened]) -> None:
        await service.open_case_needs(session, context, event.payload)

    consumer.handles(CaseOpened)(on_case_opened)  # written before v2; read until it ages out
    consumer.handles(CaseOpenedV2)(on_case_opened)

    @consumer.handles(ConsentChanged)
    async def on_consent_changed(
        session: AsyncSession, event: ReceivedEvent[ConsentChanged]
    ) -> None:
        await service.consent_changed(session, context, event.payload)

    @consumer.handles(CaseErased)
    async def on_case_erased(session: AsyncSession, event: ReceivedEvent[CaseErased]) -> None:
        await service.erase_case(session, context, event.payload)

    return consumer
