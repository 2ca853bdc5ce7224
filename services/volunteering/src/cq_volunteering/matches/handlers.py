"""Kafka: intake's cases (consumer group `volunteering.case-needs`). A new case's volunteer
needs become proposals; an erased case's matches are withdrawn and its client data erased."""

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.contracts.intake import CaseErased, CaseOpened
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.messaging.retry import PermanentError
from cq_shared.service import ServiceContext
from cq_volunteering.matches import service


def case_needs_consumer(context: ServiceContext, sites: frozenset[str]) -> InboxConsumer:
    consumer = InboxConsumer(
        name=context.consumer_group("case-needs"),
        database=context.database,
        dlq_producer=context.producer,
        retry=context.retry_policy,
    )

    @consumer.handles(CaseOpened)
    async def on_case_opened(session: AsyncSession, event: ReceivedEvent[CaseOpened]) -> None:
        case = event.payload
        if case.site not in sites:
            # No volunteers can exist for a site this deployment does not serve; retrying
            # cannot change that, so the event goes to the DLQ for a person to look at.
            raise PermanentError(f"site {case.site} is not served here")
        await service.open_case_needs(session, context.writer, context.clock, case)

    @consumer.handles(CaseErased)
    async def on_case_erased(session: AsyncSession, event: ReceivedEvent[CaseErased]) -> None:
        await service.erase_case(session, context.clock, event.payload.case_id)

    return consumer
