"""The durable timer of the waiting list's offers: an unanswered offer expires at the end of
its hold and moves on. Only course pools exist yet, so the handler is the courses'; once
places queue too, it dispatches on the pool's kind (docs/decisions/0018)."""

import uuid
from collections.abc import Mapping

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.courses.registrations import expire_offer
from cq_scheduling.waitlist.queue import OFFER_EXPIRY
from cq_shared.messaging.retry import PermanentError
from cq_shared.service import ServiceContext
from cq_shared.timers import Timer, TimerHandler


def offer_timers(context: ServiceContext) -> Mapping[str, TimerHandler]:
    async def expire(session: AsyncSession, timer: Timer) -> None:
        try:
            entry_id = uuid.UUID(str(timer.payload["entry_id"]))
        except (KeyError, ValueError) as error:
            raise PermanentError("an offer timer without an entry id") from error
        await expire_offer(session, context, entry_id)

    return {OFFER_EXPIRY: expire}
