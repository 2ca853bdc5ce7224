"""Kafka: the other services' erasure receipts, on intake's case-progress consumer."""

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_intake.erasure import service
from cq_shared.contracts.common import ErasureCompleted
from cq_shared.contracts.notifications import NotificationsErasureCompleted
from cq_shared.contracts.scheduling import SchedulingErasureCompleted
from cq_shared.contracts.volunteering import VolunteeringErasureCompleted
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.received import ReceivedEvent

RECEIPTS: dict[type[ErasureCompleted], str] = {
    SchedulingErasureCompleted: "scheduling",
    VolunteeringErasureCompleted: "volunteering",
    NotificationsErasureCompleted: "notifications",
}


def register(consumer: InboxConsumer) -> None:
    for model, name in RECEIPTS.items():

        async def on_receipt(
            session: AsyncSession, event: ReceivedEvent[ErasureCompleted], name: str = name
        ) -> None:
            await service.record_receipt(session, name, event.payload)

        consumer.handles(model)(on_receipt)
