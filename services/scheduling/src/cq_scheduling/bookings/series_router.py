"""HTTP: a recurring need's series (its state; cancelled whole or from a date on)."""

import uuid
from datetime import date

from fastapi import APIRouter
from pydantic import BaseModel, ConfigDict, Field

from cq_scheduling.bookings import series_cancel
from cq_scheduling.dependencies import ContextDep, Planner, Reader
from cq_shared.contracts.scheduling import BookingSeriesChanged
from cq_shared.db import SessionDep
from cq_shared.http.problems import problem_responses

router = APIRouter(prefix="/v1/series", tags=["bookings"])
PROBLEMS = problem_responses(401, 403, 404, 422)


class SeriesCancel(BaseModel):
    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    start_from: date | None = Field(default=None, alias="from")


@router.get("/{need_id}", responses=PROBLEMS)
async def series_state(
    need_id: uuid.UUID, session: SessionDep, who: Reader, context: ContextDep
) -> BookingSeriesChanged:
    """Every day of the series with its state, and the sums a case view shows."""
    return await series_cancel.series_state(session, context, who, need_id)


@router.post("/{need_id}/cancel", responses=PROBLEMS)
async def cancel_series(
    need_id: uuid.UUID,
    session: SessionDep,
    who: Planner,
    context: ContextDep,
    body: SeriesCancel | None = None,
) -> BookingSeriesChanged:
    """Cancel the series' days from `from` on (without it, from the site's today: days gone
    by stay as they were): their places go to whoever waits for them."""
    start_from = body.start_from if body is not None else None
    return await series_cancel.cancel_series(session, context, who, need_id, start_from)
