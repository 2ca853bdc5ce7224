"""Gaps as the API shows them: the gap, its shift and its open offer."""

import uuid
from collections.abc import Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.staffing.models import GapStatus, OfferStatus, Shift, ShiftGap, ShiftOffer
from cq_scheduling.staffing.schemas import GapPublic


async def gap_views(session: AsyncSession, gaps: Sequence[ShiftGap]) -> list[GapPublic]:
    ids = [gap.id for gap in gaps]
    shifts = {
        s.id: s
        for s in (
            await session.exec(select(Shift).where(col(Shift.id).in_([g.shift_id for g in gaps])))
        ).all()
    }
    offers: dict[uuid.UUID, ShiftOffer] = {
        o.gap_id: o
        for o in (
            await session.exec(
                select(ShiftOffer).where(
                    col(ShiftOffer.gap_id).in_(ids), ShiftOffer.status == OfferStatus.OFFERED
                )
            )
        ).all()
    }
    views = []
    for gap in gaps:
        shift = shifts[gap.shift_id]
        offer = offers.get(gap.id) if gap.status == GapStatus.OFFERED else None
        views.append(
            GapPublic(
                gap_id=gap.id,
                shift_id=gap.shift_id,
                status=GapStatus(gap.status),
                offered_to=gap.offered_to,
                reasons=[str(r) for r in gap.reasons],
                unit=shift.unit,
                start=shift.starts_at,
                end=shift.ends_at,
                required_qualification=shift.required_qualification,
                absent_staff_id=gap.absent_staff_id,
                offer_id=None if offer is None else offer.id,
                offer_expires_at=None if offer is None else offer.expires_at,
            )
        )
    return views
