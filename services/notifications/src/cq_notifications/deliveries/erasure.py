"""A client withdrew consent (CaseErased): forget the case's people, keep anonymous counts."""

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries import parking
from cq_notifications.deliveries import repository as deliveries
from cq_notifications.deliveries.failed import failures
from cq_notifications.recipients.erasure import forget_recipients
from cq_shared.clock import Clock
from cq_shared.contracts.intake import CaseErased
from cq_shared.contracts.notifications import NotificationsErasureCompleted
from cq_shared.messaging.outbox import EventWriter, Staged

log = logging.getLogger(__name__)
ERASED = "case_erased"


async def erase_case(
    session: AsyncSession, payload: CaseErased, writer: EventWriter, clock: Clock
) -> None:
    """Delete the recipients, stop unsent deliveries, drop addresses and texts, and send the
    receipt (`notifications.erasure.completed.v1`).

    The recipients go first (see forget_recipients): that waits for any handler still
    writing deliveries for the case, so none is missed here.
    """
    await forget_recipients(session, payload.case_id, payload.site, clock)
    await parking.forget_parked(session, payload.case_id)
    await deliveries.forget_series(session, payload.case_id)
    cancelled = await deliveries.cancel_pending(session, payload.case_id, ERASED)
    await deliveries.anonymise(session, payload.case_id)
    staged = failures(cancelled, ERASED)
    # The receipt intake gathers: nothing of the person is left here.
    receipt = NotificationsErasureCompleted(
        case_id=payload.case_id, site=payload.site, erased_at=clock.now()
    )
    await writer.add_many(session, [*staged, Staged(receipt, str(payload.case_id), payload.site)])
    log.info("case erased from notifications")
