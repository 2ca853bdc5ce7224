"""What a recurring need's series (a day guest every Tuesday and Thursday) is worth a mail
for (issue 9, journey 5): one mail per change of the series that matters to the person, never
one per day.

Scheduling tells a series whole (`BookingSeriesChanged`) after every change, and a day's
own waiting-list events (`place.*`) travel with it. What is mailed is decided here, against
the series' figures seen last (`series_seen`), not by the event's `change` word (which names
what the transaction did, possibly to another series):
- the first state seen: `booked` (the series was booked: n of m days, the first day, the
  days that wait);
- fewer days than before: `cancelled` (cancelled whole or from a date on);
- more days booked than before: `promoted` (a waiting day got its place);
- anything else (a wait withdrawn, a position moved, the same state again): no mail.
A day of a series waitlisted or promoted is not mailed on its own: its series' event says
it. An offer of a day (policy `offer`) and its expiry are, as for a single day: the person
has to answer by the deadline, and the series' figures do not show an offer."""

from collections.abc import Sequence
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries import repository
from cq_notifications.deliveries.refs import EventRef
from cq_shared.contracts.common import CaseEvent
from cq_shared.contracts.scheduling import BookingSeriesChanged, PlacePromoted, PlaceWaitlisted

# BookingSeriesChanged.change as notifications decided it (series_messages.py).
BOOKED, PROMOTED, CANCELLED = "booked", "promoted", "cancelled"

Item = tuple[EventRef, CaseEvent]
# A day's own events its series' mail says.
_SAID_BY_THE_SERIES = (PlaceWaitlisted, PlacePromoted)


async def sort_out(session: AsyncSession, items: Sequence[Item], *, now: datetime) -> list[Item]:
    """The items worth a mail, in order: a series' event with the change decided here (or
    dropped), a day of a series dropped, every other item as it is."""
    days = {p.need_id for _, p in items if isinstance(p, _SAID_BY_THE_SERIES) and p.need_id}
    of_series = await repository.series_among(session, days)
    told: list[Item] = []
    for ref, payload in items:
        if isinstance(payload, BookingSeriesChanged):
            change = await _change(session, payload, now=now)
            if change is not None:
                told.append((ref, payload.model_copy(update={"change": change})))
        elif isinstance(payload, _SAID_BY_THE_SERIES) and payload.need_id in of_series:
            continue
        else:
            told.append((ref, payload))
    return told


async def _change(
    session: AsyncSession, series: BookingSeriesChanged, *, now: datetime
) -> str | None:
    before = await repository.swap_series(
        session,
        need_id=series.need_id,
        case_id=series.case_id,
        total=series.total,
        booked=series.booked,
        at=now,
    )
    if before is None:
        return BOOKED
    total, booked = before
    if series.total < total:
        return CANCELLED
    if series.booked > booked:
        return PROMOTED
    return None
