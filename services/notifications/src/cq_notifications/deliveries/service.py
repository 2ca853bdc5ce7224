"""Turning an event into pending deliveries, one per recipient, in the inbox's transaction."""

import logging
import uuid
from collections.abc import Mapping
from typing import Protocol, cast

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries import parking, repository
from cq_notifications.deliveries.addressees import Addressee, case_contacts
from cq_notifications.deliveries.messages import FOR_CASE_CONTACTS, Message
from cq_notifications.deliveries.models import Channel, Delivery, DeliveryStatus
from cq_notifications.deliveries.refs import EventRef
from cq_notifications.recipients import repository as recipients
from cq_notifications.templating import Values, Vocabulary, render
from cq_shared.clock import Clock
from cq_shared.events.catalogue import catalogue
from cq_shared.events.payload import EventPayload
from cq_shared.messaging.retry import PermanentError

log = logging.getLogger(__name__)

# Delivery ids are derived from (event, recipient): the same pair always yields the same id,
# and with it the same Message-ID, so even a duplicate that slipped through is recognisable.
_DELIVERY_NAMESPACE = uuid.UUID("5b0b3c52-6f0e-4d3a-9d1c-0c9e6a1f7d21")


class CaseNews(Protocol):
    """An event that is news for a case's contacts (see messages.FOR_CASE_CONTACTS)."""

    @property
    def case_id(self) -> uuid.UUID: ...

    @property
    def site(self) -> str: ...


async def notify_case_contacts(
    session: AsyncSession, event: EventRef, payload: EventPayload, *, clock: Clock
) -> int:
    """Pending deliveries for the case's client and relatives; how many were new. If the
    case's recipients are not known yet, the event is parked until they are."""
    news = cast(CaseNews, payload)
    case = await recipients.case_for_share(session, news.case_id)
    if case is None or case.recipients_registered_at is None:
        # Only now the per-case lock (a committed registration needs none): it makes sure a
        # registration running right now either is seen here or sees what is parked.
        await parking.lock_case(session, news.case_id, shared=True)
        case = await recipients.case_for_share(session, news.case_id)
    if case is not None and case.erased_at is not None:
        log.info("skipping %s for an erased case", event.type)
        return 0
    if case is None or case.recipients_registered_at is None:
        await parking.park(
            session, event, payload, case_id=news.case_id, site=news.site, clock=clock
        )
        return 0
    if case.site != news.site:
        # Another site's event naming this case: never mail one site's people about it.
        raise PermanentError("the event's site is not the case's site")
    contacts = case_contacts(list(await recipients.recipients_of(session, news.case_id)))
    message = FOR_CASE_CONTACTS[type(payload)](payload)
    return await create_deliveries(
        session,
        event,
        case_id=news.case_id,
        site=news.site,
        message=message,
        to=contacts,
        clock=clock,
    )


async def release_parked(
    session: AsyncSession, case_id: uuid.UUID, site: str, *, clock: Clock
) -> int:
    """Deliveries for the events parked while the case's recipients were unknown; call with
    the case's lock held exclusively, after registering them. How many were new."""
    parked = await parking.parked_for(session, case_id)
    if not parked:
        return 0
    contacts = case_contacts(list(await recipients.recipients_of(session, case_id)))
    created = 0
    for row in parked:
        if row.site != site:
            log.warning("dropping a parked %s: its site is not the case's site", row.event_type)
            continue
        model = catalogue.definition(row.event_type).model
        payload = model.model_validate(row.data)
        created += await create_deliveries(
            session,
            EventRef(source=row.event_source, id=row.event_id, type=row.event_type),
            case_id=case_id,
            site=site,
            message=FOR_CASE_CONTACTS[model](payload),
            to=contacts,
            clock=clock,
        )
    await parking.forget_parked(session, case_id)
    return created


async def notify_others(
    session: AsyncSession,
    event: EventRef,
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
    event: EventRef,
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
            delivery_id=delivery_id(event.source, event.id, addressee.key),
            case_id=case_id,
            site=site,
            event_type=event.type,
            event_source=event.source,
            event_id=event.id,
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
