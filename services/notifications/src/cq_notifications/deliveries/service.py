"""Turning an event into pending deliveries, one per recipient, in the inbox's transaction."""

import logging
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries import parking, repository
from cq_notifications.deliveries.addressees import Addressee, case_contacts
from cq_notifications.deliveries.message import Message
from cq_notifications.deliveries.messages import FOR_CASE_CONTACTS
from cq_notifications.deliveries.models import Channel, Delivery, DeliveryStatus
from cq_notifications.deliveries.refs import EventRef
from cq_notifications.deliveries.schemas import DeliveryView
from cq_notifications.recipients import locks
from cq_notifications.recipients import repository as recipients
from cq_notifications.templating import Values, Vocabulary, render
from cq_shared.audit import AuditAction, Purpose, listed, record_accesses
from cq_shared.auth import Principal, Role
from cq_shared.clock import Clock
from cq_shared.contracts.common import CaseEvent
from cq_shared.events.catalogue import catalogue
from cq_shared.messaging.retry import PermanentError
from cq_shared.sites import SiteCatalogue

log = logging.getLogger(__name__)

# Delivery ids are derived from (event, recipient): the same pair always yields the same id,
# and with it the same Message-ID, so even a duplicate that slipped through is recognisable.
_DELIVERY_NAMESPACE = uuid.UUID("5b0b3c52-6f0e-4d3a-9d1c-0c9e6a1f7d21")
# The audit trail's name for a delivery (cq_shared.audit, decision 0013): a mail about a case
# says what is arranged for whom.
DELIVERY = "delivery"


async def list_deliveries(
    session: AsyncSession,
    who: Principal,
    *,
    site: str | None,
    case_id: uuid.UUID | None,
    status: DeliveryStatus | None,
    limit: int,
    now: datetime,
) -> list[DeliveryView]:
    """Deliveries newest first, limited to the caller's sites (or one of them); the cases
    listed are audited."""
    if site is not None:
        who.require_site(site)
        sites: set[str] | None = {site}
    else:
        sites = None if who.has_all_sites else set(who.sites)
    found = await repository.search(
        session, sites=sites, case_id=case_id, status=status, limit=limit
    )
    await record_accesses(
        session,
        who,
        action=AuditAction.LIST,
        resource=DELIVERY,
        # A staff member's shift mail is about no case: nothing of a case's to audit.
        accesses=listed(
            ((d.site, d.case_id) for d in found if d.case_id is not None), who=who, site=site
        ),
        purpose=Purpose.CONTACT_HISTORY,
        at=now,
    )
    # Coordinators contact the people concerned; others see that, not where, a mail went.
    with_address = who.has_role(Role.COORDINATOR)
    return [DeliveryView.of(delivery, with_address=with_address) for delivery in found]


async def notify_case_contacts_many(
    session: AsyncSession,
    items: Sequence[tuple[EventRef, CaseEvent]],
    *,
    clock: Clock,
    sites: SiteCatalogue,
) -> int:
    """Pending deliveries for the client and relatives of each case the news is about (the
    items name distinct cases); how many were new. News for a case whose recipients are not
    known yet is parked until they are. A handful of statements for all items together."""
    case_ids = [payload.case_id for _, payload in items]
    committed = await recipients.cases_unlocked(session, case_ids)
    unknown = [
        case_id
        for case_id in case_ids
        if case_id not in committed or committed[case_id].recipients_registered_at is None
    ]
    if unknown:
        # The per-case lock only where recipients are not known yet (a committed registration
        # needs none): a registration running right now is either seen here or sees what is
        # parked. Taken BEFORE the rows' share locks, in the order every other path takes
        # them (registration, key arrival, erasure: advisory lock, then row lock); the other
        # order deadlocked with a registration, which PostgreSQL resolves only after 1 s.
        await locks.lock_cases(session, sorted(unknown), shared=True)
    cases = await recipients.cases_for_share(session, case_ids)
    to_park: list[tuple[EventRef, CaseEvent]] = []
    to_tell: list[tuple[EventRef, CaseEvent]] = []
    for event, payload in items:
        case = cases.get(payload.case_id)
        if case is not None and case.erased_at is not None:
            log.info("skipping %s for an erased case", event.type)
        elif case is None or case.recipients_registered_at is None:
            to_park.append((event, payload))
        elif case.site != payload.site:
            raise PermanentError("the event's site is not the case's site")
        else:
            to_tell.append((event, payload))
    if to_park:
        await parking.park_many(session, to_park, clock=clock)
    if not to_tell:
        return 0
    people = await recipients.recipients_of_cases(session, [p.case_id for _, p in to_tell])
    now = clock.now()
    deliveries = [
        pending_delivery(
            event,
            case_id=payload.case_id,
            site=payload.site,
            message=FOR_CASE_CONTACTS[type(payload)](payload, sites[payload.site]),
            to=addressee,
            now=now,
        )
        for event, payload in to_tell
        for addressee in case_contacts(people[payload.case_id])
    ]
    return await repository.add_pending_many(session, deliveries)


async def release_parked_many(
    session: AsyncSession,
    registered: dict[uuid.UUID, str],
    *,
    clock: Clock,
    sites: SiteCatalogue,
) -> int:
    """Deliveries for the events parked while these cases' recipients (case id -> site) were
    unknown; call with the cases' locks held exclusively, after registering them. How many
    were new. One query when nothing is parked."""
    parked = await parking.parked_for_cases(session, list(registered))
    if not parked:
        return 0
    people = await recipients.recipients_of_cases(session, list(parked))
    created = 0
    for case_id, rows in parked.items():
        contacts = case_contacts(people[case_id])
        created += await _release(
            session,
            case_id=case_id,
            site=registered[case_id],
            parked=rows,
            contacts=contacts,
            clock=clock,
            sites=sites,
        )
    return created


async def _release(
    session: AsyncSession,
    *,
    case_id: uuid.UUID,
    site: str,
    parked: list[parking.Parked],
    contacts: list[Addressee],
    clock: Clock,
    sites: SiteCatalogue,
) -> int:
    created = 0
    settled: list[parking.Parked] = []
    for row in parked:
        if row.site != site:
            log.warning("dropping a parked %s: its site is not the case's site", row.event_type)
            settled.append(row)
            continue
        try:
            # A savepoint per event: one that cannot be turned into deliveries (its type or
            # schema gone since it was parked, a template failing) must not fail the
            # registration, which would leave the case without recipients for good.
            async with session.begin_nested():
                model = catalogue.definition(row.event_type).model
                payload = model.model_validate(row.data)
                created += await create_deliveries(
                    session,
                    EventRef(source=row.event_source, id=row.event_id, type=row.event_type),
                    case_id=case_id,
                    site=site,
                    message=FOR_CASE_CONTACTS[model](payload, sites[site]),
                    to=contacts,
                    clock=clock,
                )
        except Exception as error:  # noqa: BLE001 - kept parked and logged, see above
            log.warning(
                "a parked %s could not be released (%s); it stays parked",
                row.event_type,
                type(error).__name__,
            )
            continue
        settled.append(row)
    await parking.forget_parked(session, case_id, settled)
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
    case_id: uuid.UUID | None,
    site: str,
    message: Message,
    to: list[Addressee],
    clock: Clock,
) -> int:
    now = clock.now()
    deliveries = [
        pending_delivery(event, case_id=case_id, site=site, message=message, to=addressee, now=now)
        for addressee in to
    ]
    return await repository.add_pending_many(session, deliveries)


def pending_delivery(
    event: EventRef,
    *,
    case_id: uuid.UUID | None,
    site: str,
    message: Message,
    to: Addressee,
    now: datetime,
) -> Delivery:
    rendered = render(message.template, to.language, _for(to, message.values))
    return Delivery(
        delivery_id=delivery_id(event.source, event.id, to.key),
        case_id=case_id,
        site=site,
        event_type=event.type,
        event_source=event.source,
        event_id=event.id,
        recipient_key=to.key,
        recipient_role=to.role,
        recipient_address=to.address,
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
