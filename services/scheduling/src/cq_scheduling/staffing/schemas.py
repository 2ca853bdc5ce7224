"""The staffing API's request and response models (the paths and fields of issue 10)."""

import uuid
from datetime import date, datetime, timedelta
from typing import Self

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cq_scheduling.staffing.models import AbsenceReason, GapStatus, OfferStatus
from cq_shared.contracts.inputs import Day, Instant, Name

LONGEST_SHIFT = timedelta(hours=12)
LONGEST_ABSENCE_DAYS = 366
Unit = Name
Qualification = Name


class NewShift(BaseModel):
    model_config = ConfigDict(extra="forbid")

    unit: Unit
    start: Instant
    end: Instant
    required_qualification: Qualification
    staff_id: uuid.UUID | None = None  # None: planned without a person (uncovered)

    @model_validator(mode="after")
    def _period(self) -> Self:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        if self.end - self.start > LONGEST_SHIFT:
            raise ValueError("a shift lasts at most 12 hours")
        return self


class ShiftPublic(BaseModel):
    shift_id: uuid.UUID
    unit: str
    start: datetime
    end: datetime
    required_qualification: str
    staff_id: uuid.UUID | None
    status: str = Field(description="assigned | uncovered (no person, or its person absent)")


class NewAbsence(BaseModel):
    """Whole days on the site's clock, both included: an illness from Monday to Wednesday
    is `{"from": "<Monday>", "to": "<Wednesday>"}`."""

    model_config = ConfigDict(extra="forbid", populate_by_name=True)

    from_: Day = Field(alias="from")
    to: Day
    reason: AbsenceReason

    @model_validator(mode="after")
    def _days(self) -> Self:
        if self.to < self.from_:
            raise ValueError("to must not be before from")
        if (self.to - self.from_).days >= LONGEST_ABSENCE_DAYS:
            raise ValueError("an absence is reported for at most a year at a time")
        return self


class GapPublic(BaseModel):
    gap_id: uuid.UUID
    shift_id: uuid.UUID
    status: GapStatus
    offered_to: uuid.UUID | None = Field(
        description="The staff member offered the gap (or who filled it)."
    )
    reasons: list[str] = Field(
        description="Why that person was chosen, or why nobody could take the gap."
    )
    unit: str
    start: datetime
    end: datetime
    required_qualification: str
    absent_staff_id: uuid.UUID
    offer_id: uuid.UUID | None = Field(description="The open offer, to accept or decline.")
    offer_expires_at: datetime | None


class AbsencePublic(BaseModel):
    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    absence_id: uuid.UUID
    staff_id: uuid.UUID
    from_: date = Field(alias="from")
    to: date
    reason: AbsenceReason
    gaps: list[GapPublic]


class OfferPublic(BaseModel):
    offer_id: uuid.UUID
    gap_id: uuid.UUID
    staff_id: uuid.UUID
    status: OfferStatus
    expires_at: datetime
