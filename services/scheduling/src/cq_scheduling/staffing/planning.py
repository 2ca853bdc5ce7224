"""Offering gaps: all gaps given are solved together (solver.assign) over the site's roster,
under the site's staffing lock, and each gets an offer to its chosen person with a durable
expiry timer, or becomes `unfilled` (the coordinator is alerted by the event).

Called when an absence opens gaps (all of them at once) and when an offer is declined or
runs out (that gap alone, without everyone asked before)."""

import asyncio
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.staffing import events, repository
from cq_scheduling.staffing.candidates import Gap, Person, candidates, why_nobody
from cq_scheduling.staffing.models import GapStatus, OfferStatus, Shift, ShiftOffer
from cq_scheduling.staffing.rules import Period, RuleSet
from cq_scheduling.staffing.settings import of_site
from cq_scheduling.staffing.solver import Assignment, assign
from cq_shared.messaging.outbox import Staged
from cq_shared.service import ServiceContext
from cq_shared.timers import schedule_timer

OFFER_EXPIRY = "staffing.offer-expiry"


def _period(shift: Shift) -> Period:
    return Period(shift.starts_at, shift.ends_at)


def offer_timer_key(offer_id: uuid.UUID) -> str:
    return f"shift-offer:{offer_id}"


def _solve(
    rules: RuleSet,
    people: Sequence[Person],
    gaps: Sequence[Gap],
    asked: Mapping[uuid.UUID, frozenset[uuid.UUID]],
) -> Assignment:
    options = {g.gap_id: candidates(rules, people, g, excluded=asked) for g in gaps}
    return assign(rules, gaps, options, {p.staff_id: p for p in people})


async def offer_gaps(
    session: AsyncSession,
    context: ServiceContext,
    site_id: str,
    gap_ids: Sequence[uuid.UUID],
    *,
    now: datetime,
) -> list[Staged]:
    """Decide and write the gaps' next step; returns the events to stage (the caller stages
    them after its own, so each gap's events stay in order). The caller holds the lock."""
    if not gap_ids:
        return []
    staffing = await of_site(session, site_id, context.sites[site_id])
    rows = await repository.gaps_and_shifts(session, gap_ids)
    gaps = [
        Gap(
            gap.id, shift.unit, Period(shift.starts_at, shift.ends_at), shift.required_qualification
        )
        for gap, shift in rows
    ]
    window = repository.planning_window(
        [g.period for g in gaps], staffing.rules.max_consecutive_days
    )
    people = await repository.people(session, site_id, window)
    asked = await repository.offers_made(session, gap_ids)
    # Candidates and the solve are pure and CPU-bound (up to seconds for a large absence):
    # in a thread, so the event loop keeps serving other requests meanwhile. This request
    # still holds the site's lock, so the site's other proposals wait, as they must.
    result = await asyncio.to_thread(_solve, staffing.rules, people, gaps, asked)
    staged: list[Staged] = []
    for (gap, shift), solved in zip(rows, gaps, strict=True):
        before = asked.get(gap.id, frozenset())
        chosen = result.chosen.get(gap.id)
        if chosen is None:
            gap.status = GapStatus.UNFILLED
            gap.offered_to = None
            gap.reasons = why_nobody(staffing.rules, people, solved, excluded=before)
            session.add(gap)
            exhausted = bool(before)
            staged.append(
                events.unfilled(gap, shift, "candidates_exhausted" if exhausted else "no_candidate")
            )
            continue
        offer = ShiftOffer(
            id=uuid.uuid4(),
            site=site_id,
            gap_id=gap.id,
            staff_id=chosen.staff_id,
            starts_at=shift.starts_at,
            ends_at=shift.ends_at,
            status=OfferStatus.OFFERED,
            score=chosen.score,
            reasons=list(chosen.reasons),
            offered_at=now,
            expires_at=now + staffing.offer_timeout,
        )
        session.add(offer)
        gap.status = GapStatus.OFFERED
        gap.offered_to = chosen.staff_id
        gap.reasons = list(chosen.reasons)
        session.add(gap)
        await schedule_timer(
            session,
            key=offer_timer_key(offer.id),
            kind=OFFER_EXPIRY,
            at=offer.expires_at,
            payload={"offer_id": str(offer.id)},
            site=site_id,
        )
        staged.append(events.offered(gap, shift, offer, attempt=len(before) + 1))
    await session.flush()
    return staged
