"""One need of an opened case, as the booking logic sees it."""

import uuid
from dataclasses import dataclass
from datetime import datetime

from cq_scheduling.bookings.models import Booking
from cq_shared.contracts.intake import AnyCaseOpened, NeedRequested
from cq_shared.contracts.scheduling import (
    BookingConfirmed,
    BookingSeriesChanged,
    BookingUnavailable,
    PlaceWaitlisted,
)
from cq_shared.sites import Site

# What a need's booking became: booked, refused, waiting, or (a recurring need) its series.
Outcome = BookingConfirmed | BookingUnavailable | PlaceWaitlisted | BookingSeriesChanged


@dataclass(frozen=True)
class CaseNeed:
    case: AnyCaseOpened
    need: NeedRequested
    now: datetime  # the service clock's "now" when the case arrived
    place: Site  # the case's site in the site catalogue: its time zone for local dates

    @property
    def site(self) -> str:
        return self.case.site

    def booking(
        self,
        resource_type: str,
        start: datetime,
        end: datetime,
        *,
        resource_id: uuid.UUID | None = None,
        slot_id: uuid.UUID | None = None,
    ) -> Booking:
        return Booking(
            site=self.site,
            case_id=self.case.case_id,
            need_id=self.need.need_id,
            resource_type=resource_type,
            resource_id=resource_id,
            slot_id=slot_id,
            starts_at=start,
            ends_at=end,
            created_at=self.now,
        )

    def unavailable(
        self,
        resource_type: str,
        reason: str,
        start: datetime | None = None,
        end: datetime | None = None,
    ) -> BookingUnavailable:
        return BookingUnavailable(
            case_id=self.case.case_id,
            need_id=self.need.need_id,
            site=self.site,
            resource_type=resource_type,
            requested_start=start,
            requested_end=end,
            reason=reason,
        )
