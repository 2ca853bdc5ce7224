"""Turning scheduling's staffing events (topic `scheduling.staffing`, journey 4) into
deliveries about no case, and keeping and forgetting staff members' contact points.

Who is told what:
- the person offered a shift: the offer; if it runs out, that it did; once they have it, a
  confirmation (a coordinator may have accepted for them);
- the unit's lead (or leads): every step of a gap of their unit, with the colleagues' names;
- the site's coordination mailbox (`coordinator_email` in the site catalogue): a gap nobody
  may fill.
The absent person is not told: their absence was reported by a coordinator, who spoke to
them, and a mail per lost shift would tell them nothing new. A declined offer is not told
either: the person declined it themselves, and the lead hears of the next offer.

An event that names a person whose contact point is not known yet (their
StaffMemberRegistered travels under their own key and may arrive after the gap event) is told
to nobody yet: it waits for them (staff.models.WaitingStaffNews) and is told when the last of
them is registered, whole, with every name. Names and addresses are never logged."""

import logging
import uuid
from collections.abc import Iterable
from typing import cast

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries import repository as deliveries
from cq_notifications.deliveries import staff_messages
from cq_notifications.deliveries.addressees import Addressee
from cq_notifications.deliveries.message import Message
from cq_notifications.deliveries.refs import EventRef
from cq_notifications.deliveries.service import create_deliveries
from cq_notifications.staff import repository as staff
from cq_notifications.staff.models import StaffContact
from cq_shared.clock import Clock
from cq_shared.contracts.common import Language, RecipientRole
from cq_shared.contracts.staffing import (
    GapEvent,
    ShiftGapFilled,
    ShiftGapOffered,
    ShiftGapOpened,
    ShiftGapUnfilled,
    ShiftOfferEnded,
    StaffMemberRegistered,
    StaffMemberRemoved,
)
from cq_shared.events.catalogue import catalogue
from cq_shared.sites import SiteCatalogue

log = logging.getLogger(__name__)

REMOVED = "staff_member_removed"  # last_error of the deliveries cancelled by a removal
EXPIRED = "expired"  # ShiftOfferEnded.outcome of an offer nobody answered


def staff_key(staff_id: uuid.UUID) -> str:
    return f"staff:{staff_id}"


async def register(
    session: AsyncSession, event: StaffMemberRegistered, *, clock: Clock, sites: SiteCatalogue
) -> None:
    """Keep the contact point; tell the gap events that waited for this person."""
    await staff.upsert(session, event, clock.now())
    for waiting in await staff.take_waiting(session, event.staff_id):
        definition = catalogue.definition(waiting.event_type)
        payload = definition.model.model_validate(waiting.data)
        ref = EventRef(source=waiting.event_source, id=waiting.event_id, type=waiting.event_type)
        await tell(session, ref, cast(GapEvent, payload), clock=clock, sites=sites)


async def remove(session: AsyncSession, event: StaffMemberRemoved) -> None:
    """Forget the person: their contact point, and the address and text of every mail to
    them (unsent ones are cancelled)."""
    await staff.forget(session, event.staff_id)
    cancelled = await deliveries.forget_recipient(session, staff_key(event.staff_id), REMOVED)
    log.info("a staff member was forgotten; %d unsent mails cancelled", cancelled)


async def tell(
    session: AsyncSession,
    event: EventRef,
    payload: GapEvent,
    *,
    clock: Clock,
    sites: SiteCatalogue,
) -> int:
    """Pending deliveries for everyone the gap event concerns; how many were new."""
    site = sites[payload.site]
    leads = await staff.unit_leads(session, payload.site, payload.unit)
    people = _people_named(payload)
    named = await staff.contacts(session, people)
    if unknown := people - set(named):
        # Told to nobody yet: a lead's news names the person, and half-told news cannot be
        # completed later (one delivery per event and recipient).
        await staff.wait_for(
            session,
            unknown,
            source=event.source,
            event_id=event.id,
            event_type=event.type,
            data=payload.model_dump(mode="json"),
            now=clock.now(),
        )
        return 0

    def name(staff_id: uuid.UUID) -> str | None:
        contact = named.get(staff_id)
        return f"{contact.given_name} {contact.family_name}" if contact else None

    plan: list[tuple[Message, list[Addressee]]] = []
    if isinstance(payload, ShiftGapOpened):
        absent = payload.absent_staff_id
        plan.append(
            (staff_messages.gap_opened(payload, site, name(absent)), _staff(leads, but=absent))
        )
    elif isinstance(payload, ShiftGapOffered):
        offered = _staff([named.get(payload.staff_id)])
        plan.append((staff_messages.shift_offered(payload, site), offered))
        lead_news = staff_messages.gap_offered(payload, site, name(payload.staff_id))
        plan.append((lead_news, _staff(leads, but=payload.staff_id)))
    elif isinstance(payload, ShiftOfferEnded):
        if payload.outcome == EXPIRED:
            late = _staff([named.get(payload.staff_id)])
            plan.append((staff_messages.shift_offer_expired(payload, site), late))
    elif isinstance(payload, ShiftGapFilled):
        taker, absent = payload.staff_id, payload.absent_staff_id
        plan.append((staff_messages.shift_filled(payload, site), _staff([named.get(taker)])))
        lead_news = staff_messages.gap_filled(payload, site, name(taker), name(absent))
        plan.append((lead_news, _staff(leads, but=absent)))
    elif isinstance(payload, ShiftGapUnfilled):
        plan.append((staff_messages.gap_unfilled(payload, site), _staff(leads)))
        if site.coordinator_email:
            coordination = Addressee(
                key=f"coordination:{payload.site}",
                role=RecipientRole.COORDINATOR,
                address=str(site.coordinator_email),
                # A role mailbox has no language of its own: the platform's first language.
                language=Language.DE,
                given_name="",
                family_name="",
            )
            plan.append((staff_messages.gap_alert(payload, site), [coordination]))
        else:
            log.warning(
                "site %s has no coordinator_email: a gap nobody may fill goes unannounced",
                payload.site,
            )
    created = 0
    for message, to in plan:
        # A person reached twice by one event (a lead offered their own unit's gap) gets
        # the first message only: the unique (event, recipient) key keeps the second out.
        created += await create_deliveries(
            session, event, case_id=None, site=payload.site, message=message, to=to, clock=clock
        )
    return created


def _people_named(payload: GapEvent) -> set[uuid.UUID]:
    ids: set[uuid.UUID] = set()
    if isinstance(payload, ShiftGapOpened):
        ids.add(payload.absent_staff_id)
    if isinstance(payload, ShiftGapOffered | ShiftOfferEnded | ShiftGapFilled):
        ids.add(payload.staff_id)
    if isinstance(payload, ShiftGapFilled):
        ids.add(payload.absent_staff_id)
    return ids


def _staff(
    contacts: Iterable[StaffContact | None], *, but: uuid.UUID | None = None
) -> list[Addressee]:
    """Those reachable by e-mail; `but`: the person the news is about (an absent lead is not
    told of their own gap)."""
    return [
        Addressee(
            key=staff_key(contact.staff_id),
            role=RecipientRole.STAFF,
            address=contact.email,
            language=contact.language,
            given_name=contact.given_name,
            family_name=contact.family_name,
        )
        for contact in contacts
        if contact is not None and contact.email and contact.staff_id != but
    ]
