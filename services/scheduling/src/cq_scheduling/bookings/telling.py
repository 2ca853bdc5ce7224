"""Telling what moves of bookings and waiting entries did, at the end of their transaction:
the cases' events, the new state of every series a move touched, then the public figures
(last, as `announce` must be)."""

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.availability.announce import announce
from cq_scheduling.bookings import series
from cq_scheduling.bookings.waiting import Moves
from cq_shared.service import ServiceContext


async def tell(
    session: AsyncSession, context: ServiceContext, moves: Moves, *, now: datetime
) -> None:
    if moves.events:
        await context.writer.add_many(session, moves.events)
    await series.tell(session, context, moves.needs, now=now)
    await announce(session, context.writer, context.sites, moves.changes)
