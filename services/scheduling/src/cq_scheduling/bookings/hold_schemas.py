"""The holds API's request and response models."""

import datetime as dt
import uuid
from typing import Self

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from cq_scheduling.bookings.schemas import LONGEST_BOOKING
from cq_scheduling.sites.models import ResourceType
from cq_shared.contracts.inputs import Instant, SiteId

# A hold keeps a place while the front desk is on the phone: minutes, not days.
LONGEST_HOLD_MINUTES = 60


class NewHold(BaseModel):
    """Keep a place of a type for a day (`date`: a day-care place's day, a guest apartment's
    night from noon to noon) or for a period (`start`, `end`)."""

    model_config = ConfigDict(extra="forbid")

    site: SiteId
    resource_type: ResourceType
    date: dt.date | None = None
    start: Instant | None = None
    end: Instant | None = None
    ttl_minutes: int = Field(ge=1, le=LONGEST_HOLD_MINUTES)

    @model_validator(mode="after")
    def _period(self) -> Self:
        if (self.date is None) == (self.start is None and self.end is None):
            raise ValueError("give either date, or start and end")
        if self.date is None:
            if self.start is None or self.end is None:
                raise ValueError("give start and end")
            if self.end <= self.start:
                raise ValueError("end must be after start")
            if self.end - self.start > LONGEST_BOOKING:
                raise ValueError("a hold may last at most 366 days")
        return self


class ConfirmHold(BaseModel):
    """Whose booking the held place becomes."""

    model_config = ConfigDict(extra="forbid")

    case_id: uuid.UUID
    need_id: uuid.UUID | None = None


class HoldPublic(BaseModel):
    hold_id: uuid.UUID
    site: str
    resource_type: str
    resource_id: uuid.UUID | None
    resource_name: str
    start: AwareDatetime
    end: AwareDatetime
    status: str  # held, confirmed, released, expired
    expires_at: AwareDatetime | None  # while held
