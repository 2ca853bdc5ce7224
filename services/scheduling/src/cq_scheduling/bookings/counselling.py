"""Book a counselling appointment in the case's language."""

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.bookings import repository
from cq_scheduling.bookings.events import Reason, confirmed
from cq_scheduling.bookings.models import COUNSELLING
from cq_scheduling.bookings.need import CaseNeed, Outcome
from cq_scheduling.sites import repository as sites


async def book_counselling(session: AsyncSession, need: CaseNeed) -> Outcome:
    """The first free slot from now on with a counsellor who speaks the case's language.

    Never falls back to another language: counselling the person cannot follow is no
    counselling, so a person has to decide (interpreter, another site) on the refusal.
    """
    language = need.case.language
    if not await sites.counsellors(session, need.site):
        return need.unavailable(COUNSELLING, Reason.NO_RESOURCE)
    if not await sites.counsellors(session, need.site, language):
        return need.unavailable(COUNSELLING, Reason.NO_STAFF_WITH_LANGUAGE)
    claimed = await sites.claim_first_free_slot(session, need.site, language, need.now)
    if claimed is None:
        return need.unavailable(COUNSELLING, Reason.NO_CAPACITY)
    slot, counsellor = claimed
    booking = need.booking(COUNSELLING, slot.starts_at, slot.ends_at, slot_id=slot.id)
    # The slot's row lock is held, so this cannot conflict; if it ever did, the error
    # propagates and the inbox retries the whole event.
    await repository.insert(session, booking)
    return confirmed(booking, slot.location, counsellor.name, language)
