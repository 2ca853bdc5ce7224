"""The courses API's request and response models."""

import uuid
from datetime import timedelta
from typing import Annotated, Self

from pydantic import AfterValidator, AwareDatetime, BaseModel, ConfigDict, Field, model_validator

from cq_scheduling.waitlist.models import LONGEST_HOLD_HOURS, EntryStatus, Promotion
from cq_shared.contracts import Language
from cq_shared.contracts.common import Urgency
from cq_shared.contracts.inputs import Instant, Name, no_duplicates
from cq_shared.recurrence import LONGEST_SPAN, MOST_OCCURRENCES

MOST_PLACES = 500
# A session longer than this is a typo (an end on the wrong day), not a course meeting.
LONGEST_SESSION = timedelta(hours=12)
LONGEST_SESSION_MINUTES = 12 * 60


class SessionIn(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    start: Instant
    end: Instant

    @model_validator(mode="after")
    def _period(self) -> Self:
        if self.end <= self.start:
            raise ValueError("end must be after start")
        if self.end - self.start > LONGEST_SESSION:
            raise ValueError("a session may last at most 12 hours")
        return self


class NewCourse(BaseModel):
    """A site's course: its sessions as a list, or as a recurrence rule (RFC 5545 RRULE,
    without DTSTART: `first_session_start` is it; each session lasts `session_minutes`)."""

    model_config = ConfigDict(extra="forbid")

    title: Name
    language: Language
    capacity: int = Field(ge=1, le=MOST_PLACES)
    sessions: (
        Annotated[
            list[SessionIn],
            Field(min_length=1, max_length=MOST_OCCURRENCES),
            AfterValidator(no_duplicates),
        ]
        | None
    ) = None
    rrule: Annotated[str, Field(min_length=1, max_length=500, pattern=r"^[A-Za-z0-9=;,:+-]+$")] | (
        None
    ) = None
    first_session_start: Instant | None = None
    session_minutes: int | None = Field(default=None, ge=1, le=LONGEST_SESSION_MINUTES)
    promotion: Promotion
    hold_hours: int | None = Field(default=None, ge=1, le=LONGEST_HOLD_HOURS)

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        if (self.sessions is None) == (self.rrule is None):
            raise ValueError("give either sessions or rrule")
        if self.rrule is not None and (
            self.first_session_start is None or self.session_minutes is None
        ):
            raise ValueError("rrule needs first_session_start and session_minutes")
        if self.sessions is not None and (
            self.first_session_start is not None or self.session_minutes is not None
        ):
            raise ValueError("first_session_start and session_minutes go with rrule")
        if self.sessions is not None:
            starts = sorted(session.start for session in self.sessions)
            if starts[-1] - starts[0] > LONGEST_SPAN:
                raise ValueError("the sessions span more than a year")
        if (self.promotion == Promotion.OFFER) != (self.hold_hours is not None):
            raise ValueError("hold_hours is required for promotion offer, and only for it")
        return self


class CourseCreated(BaseModel):
    course_id: uuid.UUID


class CoursePublic(BaseModel):
    course_id: uuid.UUID
    site: str
    title: str
    language: Language
    capacity: int
    confirmed: int
    offered: int
    waitlisted: int
    free: int
    promotion: Promotion
    hold_hours: int | None
    session_count: int
    first_session: AwareDatetime | None
    next_session: AwareDatetime | None  # None: every session has begun
    last_session: AwareDatetime | None
    rrule: str | None
    created_at: AwareDatetime


class NewRegistration(BaseModel):
    """Staff register a case directly (the front desk); intake's needs take the same path."""

    model_config = ConfigDict(extra="forbid")

    case_id: uuid.UUID
    need_id: uuid.UUID | None = None
    # Ranks the registration on the waiting list where the site orders it by urgency
    # (decision 0018); elsewhere it changes nothing.
    urgency: Urgency = Urgency.ROUTINE


class RegistrationPublic(BaseModel):
    registration_id: uuid.UUID
    course_id: uuid.UUID
    site: str
    case_id: uuid.UUID
    need_id: uuid.UUID | None
    status: EntryStatus
    position: int | None  # 1-based place on the waiting list, for waitlisted ones
    offer_expires_at: AwareDatetime | None  # for offered ones
    created_at: AwareDatetime
    updated_at: AwareDatetime
