"""A client withdrew consent to notify their contacts (`ConsentChanged`): what has not been
sent to a relative or legal representative yet is not sent. Intake registers the case's
recipients anew right after (without the contacts), so no later news reaches them either."""

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries import repository as deliveries
from cq_notifications.deliveries.failed import failures
from cq_shared.contracts.common import ConsentPurpose, RecipientRole
from cq_shared.contracts.intake import ConsentChanged
from cq_shared.messaging.outbox import EventWriter

WITHDRAWN = "consent_withdrawn"
CONTACTS = (RecipientRole.RELATIVE, RecipientRole.LEGAL_REPRESENTATIVE)


async def consent_changed(
    session: AsyncSession, change: ConsentChanged, writer: EventWriter
) -> None:
    if change.purpose is not ConsentPurpose.NOTIFY_CONTACTS or change.granted:
        return
    cancelled = await deliveries.cancel_pending_to(session, change.case_id, CONTACTS, WITHDRAWN)
    await writer.add_many(session, failures(cancelled, WITHDRAWN))
