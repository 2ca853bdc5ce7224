"""A client withdrew consent (CaseErased): forget the case's people, keep anonymous counts."""

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries import parking
from cq_notifications.deliveries import repository as deliveries
from cq_notifications.recipients.erasure import forget_recipients
from cq_shared.clock import Clock
from cq_shared.contracts.intake import CaseErased
from cq_shared.contracts.notifications import DeliveryFailed
from cq_shared.messaging.outbox import EventWriter

log = logging.getLogger(__name__)
ERASED = "case_erased"


async def erase_case(
    session: AsyncSession, payload: CaseErased, writer: EventWriter, clock: Clock
) -> None:
    """Delete the recipients, stop unsent deliveries and drop addresses and texts.

    The recipients go first (see forget_recipients): that waits for any handler still
    writing deliveries for the case, so none is missed here.
    """
    await forget_recipients(session, payload.case_id, payload.site, clock)
    await parking.forget_parked(session, payload.case_id)
    for delivery in await deliveries.cancel_pending(session, payload.case_id, ERASED):
        await writer.add(
            session,
            DeliveryFailed(
                delivery_id=delivery.delivery_id,
                case_id=delivery.case_id,
                site=delivery.site,
                recipient_role=delivery.recipient_role,
                channel=delivery.channel,
                template=delivery.template,
                reason=ERASED,
            ),
            subject=str(delivery.case_id),
            site=delivery.site,
        )
    await deliveries.anonymise(session, payload.case_id)
    log.info("case erased from notifications")
