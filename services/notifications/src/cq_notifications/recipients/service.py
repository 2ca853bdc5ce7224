"""Keeping a case's recipients as intake registered them, and releasing the news that
waited for them."""

import logging

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries import parking
from cq_notifications.deliveries.service import release_parked
from cq_notifications.recipients import repository
from cq_notifications.recipients.models import CaseRecipient
from cq_shared.clock import Clock
from cq_shared.contracts.intake import RecipientsRegistered

log = logging.getLogger(__name__)


async def register_recipients(
    session: AsyncSession, payload: RecipientsRegistered, clock: Clock
) -> None:
    # Exclusively: no handler of this case is between "recipients unknown" and parking.
    await parking.lock_case(session, payload.case_id, shared=False)
    case = await repository.case_for_update(session, payload.case_id, payload.site)
    if case.erased_at is not None:
        # A late or re-driven registration must not bring erased personal data back.
        log.info("ignoring recipients of an erased case")
        return
    # Keyed by id: a person listed twice is stored once (the last entry wins), rather than
    # failing the whole registration on the primary key.
    by_id = {
        recipient.recipient_id: CaseRecipient(
            case_id=payload.case_id,
            recipient_id=recipient.recipient_id,
            role=recipient.role,
            given_name=recipient.given_name,
            family_name=recipient.family_name,
            email=recipient.email,
            phone=recipient.phone,
            language=recipient.language,
        )
        for recipient in payload.recipients
    }
    await repository.replace_recipients(session, payload.case_id, list(by_id.values()))
    await repository.mark_registered(session, payload.case_id, clock.now())
    await release_parked(session, payload.case_id, case.site, clock=clock)
