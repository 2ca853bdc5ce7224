"""The staffing events (cq_shared.contracts.staffing), built from our rows and staged in the
transaction of the change. Keyed by gap id, so one gap's story arrives in order."""

from typing import Literal

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.staffing.models import Absence, Shift, ShiftGap, ShiftOffer, StaffMember
from cq_shared.contracts import Language
from cq_shared.contracts.staffing import (
    GapEvent,
    ShiftGapFilled,
    ShiftGapOffered,
    ShiftGapOpened,
    ShiftGapUnfilled,
    ShiftOfferEnded,
    StaffMemberRegistered,
)
from cq_shared.messaging.outbox import EventWriter, Staged


def _about(gap: ShiftGap, shift: Shift) -> dict[str, object]:
    return {
        "site": gap.site,
        "gap_id": gap.id,
        "shift_id": shift.id,
        "unit": shift.unit,
        "starts_at": shift.starts_at,
        "ends_at": shift.ends_at,
        "required_qualification": shift.required_qualification,
    }


def _staged(gap: ShiftGap, event: GapEvent) -> Staged:
    return Staged(event, str(gap.id), gap.site)


def opened(gap: ShiftGap, shift: Shift, absence: Absence) -> Staged:
    return _staged(
        gap,
        ShiftGapOpened.model_validate(
            {**_about(gap, shift), "absence_id": absence.id, "absent_staff_id": absence.staff_id}
        ),
    )


def offered(gap: ShiftGap, shift: Shift, offer: ShiftOffer, attempt: int) -> Staged:
    return _staged(
        gap,
        ShiftGapOffered.model_validate(
            {
                **_about(gap, shift),
                "offer_id": offer.id,
                "staff_id": offer.staff_id,
                "expires_at": offer.expires_at,
                "reasons": [str(r) for r in offer.reasons],
                "attempt": attempt,
            }
        ),
    )


Outcome = Literal["declined", "expired", "withdrawn"]  # ShiftOfferEnded.outcome


def ended(gap: ShiftGap, shift: Shift, offer: ShiftOffer, outcome: Outcome) -> Staged:
    return _staged(
        gap,
        ShiftOfferEnded.model_validate(
            {
                **_about(gap, shift),
                "offer_id": offer.id,
                "staff_id": offer.staff_id,
                "outcome": outcome,
            }
        ),
    )


def filled(gap: ShiftGap, shift: Shift, offer: ShiftOffer) -> Staged:
    return _staged(
        gap,
        ShiftGapFilled.model_validate(
            {
                **_about(gap, shift),
                "offer_id": offer.id,
                "staff_id": offer.staff_id,
                "absent_staff_id": gap.absent_staff_id,
            }
        ),
    )


def unfilled(
    gap: ShiftGap, shift: Shift, reason: Literal["no_candidate", "candidates_exhausted"]
) -> Staged:
    return _staged(gap, ShiftGapUnfilled.model_validate({**_about(gap, shift), "reason": reason}))


async def register_staff(
    session: AsyncSession, writer: EventWriter, members: list[StaffMember]
) -> None:
    """Tell notifications who the members are and how to reach them (keyed by staff id)."""
    await writer.add_many(
        session,
        [
            Staged(
                StaffMemberRegistered(
                    site=member.site,
                    staff_id=member.id,
                    given_name=member.given_name,
                    family_name=member.family_name,
                    email=member.email,
                    language=Language(member.language),
                    unit=member.unit,
                    unit_lead=member.unit_lead,
                ),
                str(member.id),
                member.site,
            )
            for member in members
        ],
    )
