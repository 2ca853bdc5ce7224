"""Answers to shift offers: accept fills the gap and gives the shift to the person; a decline
or the offer running out (the durable timer, decision 0009) moves the gap to the next
candidate. Each runs under the site's staffing lock, then locks the offer's row.

Accept re-checks the rules: the offer was valid when made, but the person's work or absences
may have changed since (data written before absences withdrew offers, a site's rules made
stricter). A shift that would break a rule is never given: the offer is withdrawn, the gap
moves on as after a decline, and the caller gets 409 naming the rules."""

import uuid
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.staffing import events, repository
from cq_scheduling.staffing.errors import (
    NotYourOfferError,
    OfferBreaksRulesError,
    OfferNotFoundError,
    OfferNotOpenError,
)
from cq_scheduling.staffing.events import Outcome
from cq_scheduling.staffing.models import (
    GapStatus,
    OfferStatus,
    Shift,
    ShiftGap,
    ShiftOffer,
    ShiftStatus,
)
from cq_scheduling.staffing.planning import offer_gaps, offer_timer_key
from cq_scheduling.staffing.rules import Period, Rule, broken_rules
from cq_scheduling.staffing.schemas import OfferPublic
from cq_scheduling.staffing.settings import of_site
from cq_shared.auth import Principal, Role
from cq_shared.messaging.outbox import Staged
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
    broken = await _broken_now(session, context, offer, shift)
    if broken:
        await cancel_timer(session, offer_timer_key(offer.id))
        await _move_on(session, context, offer, "withdrawn", now)
        # The withdrawal and the gap's next offer must stand although the answer is an
        # error, which rolls the request's transaction back: commit them first.
        await session.commit()
        raise OfferBreaksRulesError(
            "Taking this shift would now break: " + ", ".join(broken) + ". The offer is withdrawn."
        )
    offer.status, offer.answered_at = OfferStatus.ACCEPTED, now
    gap.status = GapStatus.FILLED
    shift.staff_id, shift.status = offer.staff_id, ShiftStatus.ASSIGNED
    session.add_all([offer, gap, shift])
    await session.flush()  # the shifts' exclusion constraint is the last word on overlap
    await cancel_timer(session, offer_timer_key(offer.id))
    await context.writer.add_many(session, [events.filled(gap, shift, offer)])
    return _public(offer)


async def _broken_now(
    session: AsyncSession, context: ServiceContext, offer: ShiftOffer, shift: Shift
) -> list[Rule]:
    """The rules the shift breaks for the person against their roster as it is now (shifts,
    absences, other open offers; this offer left out), with the site's rules as they are."""
    staffing = await of_site(session, offer.site, context.sites[offer.site])
    period = Period(shift.starts_at, shift.ends_at)
    window = repository.planning_window([period], staffing.rules.max_consecutive_days)
    found = await repository.people(
        session, offer.site, window, only=offer.staff_id, except_offer=offer.id
    )
    if not found:  # the member is gone: nobody to give the shift to
        return [Rule.QUALIFICATION]
    person = found[0]
    return broken_rules(staffing.rules, person.roster, period, shift.required_qualification)


async def decline(
    session: AsyncSession, context: ServiceContext, who: Principal, offer_id: uuid.UUID
) -> OfferPublic:
    now = context.clock.now()
    offer = await _open_offer(session, who, offer_id, now)
    await cancel_timer(session, offer_timer_key(offer.id))
    await _move_on(session, context, offer, "declined", now)
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
    await _move_on(session, context, offer, "expired", now)


def end_offer(
    offer: ShiftOffer, gap: ShiftGap, shift: Shift, outcome: Outcome, now: datetime
) -> Staged:
    """End an open offer and reopen its gap (the caller plans it next, under the lock);
    returns the `ended` event to stage before the gap's next one."""
    offer.status, offer.answered_at = OfferStatus(outcome), now
    gap.status, gap.offered_to = GapStatus.OPEN, None
    return events.ended(gap, shift, offer, outcome)


async def _move_on(
    session: AsyncSession,
    context: ServiceContext,
    offer: ShiftOffer,
    outcome: Outcome,
    now: datetime,
) -> None:
    gap, shift = await repository.gap_and_shift(session, offer.gap_id)
    staged = [end_offer(offer, gap, shift, outcome, now)]
    session.add_all([offer, gap])
    await session.flush()
    staged += await offer_gaps(session, context, offer.site, [gap.id], now=now)
    await context.writer.add_many(session, staged)
