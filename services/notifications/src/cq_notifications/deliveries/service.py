"""Turning an event into pending deliveries, one per recipient, in the inbox's transaction."""

import logging
import uuid
from collections.abc import Mapping
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries import repository
from cq_notifications.deliveries.addressees import Addressee, case_contacts
from cq_notifications.deliveries.messages import Message
from cq_notifications.deliveries.models import Channel, Delivery, DeliveryStatus
from cq_notifications.recipients import repository as recipients
from cq_notifications.templating import Values, Vocabulary, render
from cq_shared.clock import Clock
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.messaging.retry import PermanentError

log = logging.getLogger(__name__)

# Delivery ids are derived from (event, recipient): the same pair always yields the same id,
# and with it the same Message-ID, so even a duplicate that slipped through is recognisable.
_DELIVERY_NAMESPACE = uuid.UUID("5b0b3c52-6f0e-4d3a-9d1c-0c9e6a1f7d21")


class RecipientsNotKnownError(Exception):
    """The case's recipients have not arrived yet.

    Deliberately an ordinary (transient) exception: scheduling's and volunteering's events
    travel on other topics than intake's RecipientsRegistered and may overtake it. The inbox
    retries with backoff while the recipients consumer stores the registration; if it never
    comes within the retry budget, the event goes to the DLQ and a re-drive delivers it.
    """


async def notify_case_contacts(
    session: AsyncSession,
    event: ReceivedEvent[Any],
    *,
    case_id: uuid.UUID,
    site: str,
    message: Message,
    clock: Clock,
) -> int:
    """Pending deliveries for the case's client and relatives; how many were new."""
    case = await recipients.case_for_share(session, case_id)
    if case is not None and case.erased_at is not None:
        log.info("skipping %s for an erased case", event.envelope.type)
        return 0
    if case is None or case.recipients_registered_at is None:
        raise RecipientsNotKnownError("recipients of the case are not known yet")
    if case.site != site:
        # Another site's event naming this case: never mail one site's people about it.
        raise PermanentError("the event's site is not the case's site")
    contacts = case_contacts(list(await recipients.recipients_of(session, case_id)))
    return await create_deliveries(
        session, event, case_id=case_id, site=site, message=message, to=contacts, clock=clock
    )


async def notify_others(
    session: AsyncSession,
    event: ReceivedEvent[Any],
    *,
    case_id: uuid.UUID,
    site: str,
    message: Message,
    to: list[Addressee],
    clock: Clock,
) -> int:
    """Pending deliveries for people the event itself names (a volunteer); skipped once the
    case is erased, since the request they are asked about is gone."""
    case = await recipients.case_for_share(session, case_id)
    if case is not None and case.erased_at is not None:
        return 0
    return await create_deliveries(
        session, event, case_id=case_id, site=site, message=message, to=to, clock=clock
    )


async def create_deliveries(
    session: AsyncSession,
    event: ReceivedEvent[Any],
    *,
    case_id: uuid.UUID,
    site: str,
    message: Message,
    to: list[Addressee],
    clock: Clock,
) -> int:
    now = clock.now()
    created = 0
    for addressee in to:
        rendered = render(message.template, addressee.language, _for(addressee, message.values))
        delivery = Delivery(
            delivery_id=delivery_id(event.envelope.source, event.envelope.id, addressee.key),
            case_id=case_id,
            site=site,
            event_type=event.envelope.type,
            event_source=event.envelope.source,
            event_id=event.envelope.id,
            recipient_key=addressee.key,
            recipient_role=addressee.role,
            recipient_address=addressee.address,
            channel=Channel.EMAIL,
            template=message.template.value,
            language=rendered.language,
            subject=rendered.subject,
            body=rendered.body,
            status=DeliveryStatus.PENDING,
            attempts=0,
            created_at=now,
            next_attempt_at=now,
        )
        created += await repository.add_pending(session, delivery)
    return created


def delivery_id(event_source: str, event_id: str, recipient_key: str) -> uuid.UUID:
    return uuid.uuid5(_DELIVERY_NAMESPACE, f"{event_source}\n{event_id}\n{recipient_key}")


def _for(addressee: Addressee, values: Values) -> Values:
    def with_names(words: Vocabulary) -> Mapping[str, str]:
        return {
            **values(words),
            "given_name": addressee.given_name,
            "family_name": addressee.family_name,
        }

    return with_names
