"""Kafka: the needs of newly opened cases (topic intake.cases)."""

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.bookings.case_needs import book_case_needs
from cq_scheduling.settings import served_sites
from cq_shared.contracts.intake import CaseOpened
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.service import ServiceContext

log = logging.getLogger(__name__)


def case_needs_consumer(context: ServiceContext) -> InboxConsumer:
    consumer = InboxConsumer(
        name=context.consumer_group("case-needs"),
        database=context.database,
        dlq_producer=context.producer,
        retry=context.retry_policy,
    )

    @consumer.handles(CaseOpened)
    async def on_case_opened(session: AsyncSession, event: ReceivedEvent[CaseOpened]) -> None:
        case = event.payload
        if case.site not in served_sites():
            # A network's sites need not all run scheduling: not an error, not ours.
            log.info("case of site %s ignored: not served here", case.site)
            return
        await book_case_needs(session, context.writer, context.clock, case)

    return consumer
