"""The durable timers of scheduling (docs/decisions/0009) and who handles them: a waiting
list's offer runs out (a course's or a place's, by the pool's kind), a hold runs out."""

import uuid
from collections.abc import Mapping

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.bookings import holds, waiting
from cq_scheduling.bookings.hold_timer import HOLD_EXPIRY
from cq_scheduling.bookings.telling import tell
from cq_scheduling.courses.registrations import expire_offer
from cq_scheduling.waitlist import repository as waitlist
from cq_scheduling.waitlist.models import PoolKind
from cq_scheduling.waitlist.queue import OFFER_EXPIRY
from cq_shared.messaging.retry import PermanentError
from cq_shared.service import ServiceContext
from cq_shared.timers import Timer, TimerHandler


def _id(timer: Timer, name: str) -> uuid.UUID:
    try:
        return uuid.UUID(str(timer.payload[name]))
    except (KeyError, ValueError) as error:
        raise PermanentError(f"a {timer.kind} timer without its {name}") from error


def offer_timers(context: ServiceContext) -> Mapping[str, TimerHandler]:
    async def expire(session: AsyncSession, timer: Timer) -> None:
        entry_id = _id(timer, "entry_id")
        entry = await waitlist.entry(session, entry_id)
        kind = None if entry is None else await waitlist.kind(session, entry.pool_id)
        if kind is not None and kind[0] == PoolKind.PLACE:
            now = context.clock.now()
            moves = await waiting.expire_offer(session, entry_id, now=now)
            await tell(session, context, moves, change="promoted", now=now)
        else:
            await expire_offer(session, context, entry_id)

    return {OFFER_EXPIRY: expire}


def hold_timers(context: ServiceContext) -> Mapping[str, TimerHandler]:
    async def expire(session: AsyncSession, timer: Timer) -> None:
        await holds.expire_hold(session, context, _id(timer, "booking_id"))

    return {HOLD_EXPIRY: expire}
