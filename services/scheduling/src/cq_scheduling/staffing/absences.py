"""Reporting an absence: every shift of that person in the period becomes a gap, and all of
them are offered together (planning.offer_gaps) in the same transaction.

The person's open offers for shifts within the absence are withdrawn in the same step and
their gaps planned again with the new ones: else the absent person could still accept a
shift during their own absence."""

import uuid
from datetime import datetime, time, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.staffing import events, repository
from cq_scheduling.staffing.errors import AbsenceOverlapsError, StaffMemberNotFoundError
from cq_scheduling.staffing.models import Absence, GapStatus, ShiftGap, ShiftStatus
from cq_scheduling.staffing.offers import end_offer
from cq_scheduling.staffing.planning import offer_gaps, offer_timer_key
from cq_scheduling.staffing.rules import Period
from cq_scheduling.staffing.schemas import AbsencePublic, NewAbsence
from cq_scheduling.staffing.views import gap_views
from cq_shared.auth import Principal
from cq_shared.messaging.outbox import Staged
from cq_shared.service import ServiceContext
from cq_shared.timers import cancel_timer

MIDNIGHT = time(0, 0)


async def report_absence(
    session: AsyncSession,
    context: ServiceContext,
    who: Principal,
    staff_id: uuid.UUID,
    body: NewAbsence,
) -> AbsencePublic:
    member = await repository.member(session, staff_id)
    if member is None:
        raise StaffMemberNotFoundError("No such staff member.")
    who.require_site(member.site)  # another site's staff: 403, nothing written
    site = context.sites[member.site]
    now = context.clock.now()
    period = Period(site.at(body.from_, MIDNIGHT), site.at(body.to + timedelta(days=1), MIDNIGHT))
    await repository.lock_site(session, member.site)
    if await repository.absence_overlapping(session, staff_id, period):
        raise AbsenceOverlapsError("An absence of this staff member overlaps this period.")
    absence = Absence(
        id=uuid.uuid4(),
        site=member.site,
        staff_id=staff_id,
        starts_at=period.start,
        ends_at=period.end,
        reason=body.reason,
        reported_at=now,
    )
    session.add(absence)
    shifts = await repository.shifts_to_uncover(session, staff_id, period, now)
    gaps = []
    for shift in shifts:
        shift.staff_id = None
        shift.status = ShiftStatus.UNCOVERED
        session.add(shift)
        gaps.append(
            ShiftGap(
                id=uuid.uuid4(),
                site=member.site,
                shift_id=shift.id,
                absence_id=absence.id,
                absent_staff_id=staff_id,
                status=GapStatus.OPEN,
                reasons=[],
                opened_at=now,
            )
        )
    session.add_all(gaps)
    withdrawn = await _withdraw_offers(session, staff_id, period, now)
    await session.flush()
    staged = [events.opened(gap, shift, absence) for gap, shift in zip(gaps, shifts, strict=True)]
    staged += [ended for _, ended in withdrawn]
    # The withdrawn gaps are planned with the new ones: one solve, one consistent answer.
    again = [g.id for g in gaps] + [gap_id for gap_id, _ in withdrawn]
    staged += await offer_gaps(session, context, member.site, again, now=now)
    await context.writer.add_many(session, staged)
    return AbsencePublic(
        absence_id=absence.id,
        staff_id=staff_id,
        from_=body.from_,
        to=body.to,
        reason=body.reason,
        gaps=await gap_views(session, gaps),
    )


async def _withdraw_offers(
    session: AsyncSession, staff_id: uuid.UUID, period: Period, now: datetime
) -> list[tuple[uuid.UUID, Staged]]:
    """End the person's open offers for shifts within the absence (under the site's lock,
    which the caller holds); returns each reopened gap with its `ended` event."""
    withdrawn: list[tuple[uuid.UUID, Staged]] = []
    for offer in await repository.open_offers_within(session, staff_id, period):
        gap, shift = await repository.gap_and_shift(session, offer.gap_id)
        withdrawn.append((gap.id, end_offer(offer, gap, shift, "withdrawn", now)))
        session.add_all([offer, gap])
        await cancel_timer(session, offer_timer_key(offer.id))
    return withdrawn
