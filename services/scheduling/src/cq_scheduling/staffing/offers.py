"""Answers to shift offers: accept fills the gap and gives the shift to the person; a decline
or the offer running out (the durable timer, decision 0009) moves the gap to the next
candidate. Each runs under the site's staffing lock, then locks the offer's row."""

import uuid
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.staffing import events, repository
from cq_scheduling.staffing.errors import NotYourOfferError, OfferNotFoundError, OfferNotOpenError
from cq_scheduling.staffing.models import GapStatus, OfferStatus, ShiftOffer, ShiftStatus
from cq_scheduling.staffing.planning import offer_gaps, offer_timer_key
from cq_scheduling.staffing.schemas import OfferPublic
from cq_shared.auth import Principal, Role
from cq_shared.service import ServiceContext
from cq_shared.timers import cancel_timer


async def _open_offer(
    session: AsyncSession, who: Principal, offer_id: uuid.UUID, now: datetime
) -> ShiftOffer:
    found = await repository.offer_owner(session, offer_id)
    if found is None:
        raise OfferNotFoundError("No such shift offer.")
    site, staff_id = found  # neither ever changes: safe to check before the lock
    # The person offered answers for themself; a coordinator of the site may answer for them
    # (a phone call). Anyone else, another staff member too, is refused.
    mine = who.staff_id == staff_id
    if not (mine or who.has_role(Role.COORDINATOR)) or not who.can_access_site(site):
        raise NotYourOfferError("Only the person offered the shift or a coordinator answers.")
    await repository.lock_site(session, site)
    offer = await repository.offer_for_update(session, offer_id)
    assert offer is not None, "offers are never deleted"
    if offer.status != OfferStatus.OFFERED:
        raise OfferNotOpenError(f"The offer is {offer.status} already.")
    if offer.expires_at <= now:
        raise OfferNotOpenError("The offer has run out.")
    return offer


def _public(offer: ShiftOffer) -> OfferPublic:
    return OfferPublic(
        offer_id=offer.id,
        gap_id=offer.gap_id,
        staff_id=offer.staff_id,
        status=OfferStatus(offer.status),
        expires_at=offer.expires_at,
    )


async def accept(
    session: AsyncSession, context: ServiceContext, who: Principal, offer_id: uuid.UUID
) -> OfferPublic:
    now = context.clock.now()
    offer = await _open_offer(session, who, offer_id, now)
    gap, shift = await repository.gap_and_shift(session, offer.gap_id)
    offer.status, offer.answered_at = OfferStatus.ACCEPTED, now
    gap.status = GapStatus.FILLED
    shift.staff_id, shift.status = offer.staff_id, ShiftStatus.ASSIGNED
    session.add_all([offer, gap, shift])
    await session.flush()  # the shifts' exclusion constraint is the last word on overlap
    await cancel_timer(session, offer_timer_key(offer.id))
    await context.writer.add_many(session, [events.filled(gap, shift, offer)])
    return _public(offer)


async def decline(
    session: AsyncSession, context: ServiceContext, who: Principal, offer_id: uuid.UUID
) -> OfferPublic:
    now = context.clock.now()
    offer = await _open_offer(session, who, offer_id, now)
    await cancel_timer(session, offer_timer_key(offer.id))
    await _move_on(session, context, offer, OfferStatus.DECLINED, now)
    return _public(offer)


async def expire(session: AsyncSession, context: ServiceContext, offer_id: uuid.UUID) -> None:
    """The offer timer's handler: re-checks under the lock, so a late or repeated firing
    (after an accept, a decline) changes nothing."""
    now = context.clock.now()
    found = await repository.offer_owner(session, offer_id)
    if found is None:
        return
    await repository.lock_site(session, found[0])
    offer = await repository.offer_for_update(session, offer_id)
    if offer is None or offer.status != OfferStatus.OFFERED or offer.expires_at > now:
        return
    await _move_on(session, context, offer, OfferStatus.EXPIRED, now)


async def _move_on(
    session: AsyncSession,
    context: ServiceContext,
    offer: ShiftOffer,
    outcome: OfferStatus,
    now: datetime,
) -> None:
    gap, shift = await repository.gap_and_shift(session, offer.gap_id)
    offer.status, offer.answered_at = outcome, now
    gap.status, gap.offered_to = GapStatus.OPEN, None
    session.add_all([offer, gap])
    await session.flush()
    declined = outcome == OfferStatus.DECLINED
    staged = [events.ended(gap, shift, offer, "declined" if declined else "expired")]
    staged += await offer_gaps(session, context, offer.site, [gap.id], now=now)
    await context.writer.add_many(session, staged)
