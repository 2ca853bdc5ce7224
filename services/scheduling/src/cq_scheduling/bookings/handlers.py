"""Kafka: the needs of newly opened cases, and erasures (topic intake.cases)."""

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.bookings.case_needs import book_case_needs
from cq_shared.contracts.intake import AnyCaseOpened, CaseErased, CaseOpened, CaseOpenedV2
from cq_shared.contracts.scheduling import SchedulingErasureCompleted
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.service import ServiceContext


def case_needs_consumer(context: ServiceContext) -> InboxConsumer:
    consumer = context.inbox_consumer("case-needs")

    async def on_case_opened(session: AsyncSession, event: ReceivedEvent[AnyCaseOpened]) -> None:
        await book_case_needs(session, context, event.payload)

    consumer.handles(CaseOpened)(on_case_opened)  # written before v2; read until it ages out
    consumer.handles(CaseOpenedV2)(on_case_opened)

    @consumer.handles(CaseErased)
    async def on_case_erased(session: AsyncSession, event: ReceivedEvent[CaseErased]) -> None:
        # Scheduling holds nothing personal about a client: bookings name the case id, the
        # resource and the period (kept, anonymous, for capacity statistics). The receipt
        # says so to intake.
        case = event.payload
        receipt = SchedulingErasureCompleted(
            case_id=case.case_id, site=case.site, erased_at=context.clock.now()
        )
        await context.writer.add(session, receipt, subject=str(case.case_id), site=case.site)

    return consumer
