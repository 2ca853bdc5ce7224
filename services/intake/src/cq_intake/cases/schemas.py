"""The HTTP API's bodies. Input is validated strictly at the edge: unknown fields, control
characters and out-of-range values are a 422, never a database error."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from cq_intake.cases.status import CaseStatus, NeedState
from cq_intake.cases.vocabulary import Channel, Relation
from cq_shared.contracts import CareLevel, Language, NeedType
from cq_shared.contracts.common import Urgency
from cq_shared.contracts.inputs import Email, FreeText, Name, Phone, PostalCode, SiteId
from cq_shared.recurrence import RecurrenceError, Weekday, recurring_days

MAX_DAYS = 56  # short-term and respite care: up to eight weeks a year


class _Input(BaseModel):
    # forbid: a misspelt field ("notfy") must fail loudly, not be dropped silently.
    model_config = ConfigDict(extra="forbid", frozen=True)


class ClientIn(_Input):
    given_name: Name
    family_name: Name
    birth_date: Annotated[date, Field(gt=date(1900, 1, 1))]
    postal_code: PostalCode
    language: Language
    care_level: CareLevel
    email: Email | None = None
    phone: Phone | None = None


class ContactIn(_Input):
    relation: Relation
    given_name: Name
    family_name: Name
    email: Email | None = None
    phone: Phone | None = None
    language: Language
    notify: bool = False  # opt-in: nobody is written to unless someone said so


# Needs that may recur (a day guest every Tuesday and Thursday); others are one-off.
RECURRING_NEEDS = frozenset({NeedType.DAY_CARE})
# The RFC 5545 rule's length: long enough for any real rule, short enough to refuse junk.
MAX_RRULE_LENGTH = 200


class NeedIn(_Input):
    type: NeedType
    start: date | None = None
    days: Annotated[int, Field(ge=1, le=MAX_DAYS)] | None = None
    note: FreeText | None = None
    # prevention_course: the course (scheduling's course id) the person asks a place in.
    course_id: uuid.UUID | None = None
    # A recurring day_care need: from `start` on `weekdays` up to `until` (inclusive), or by
    # an RFC 5545 `rrule` without DTSTART (e.g. "FREQ=WEEKLY;BYDAY=TU,TH;COUNT=16").
    until: date | None = None
    weekdays: Annotated[list[Weekday], Field(min_length=1, max_length=7)] | None = None
    rrule: Annotated[str, Field(min_length=1, max_length=MAX_RRULE_LENGTH)] | None = None

    @model_validator(mode="after")
    def _fits_its_type(self) -> "NeedIn":
        if self.course_id is not None and self.type != NeedType.PREVENTION_COURSE:
            raise ValueError("course_id belongs to a prevention_course need only")
        recurring = self.until is not None or self.weekdays is not None or self.rrule is not None
        if not recurring:
            return self
        if self.type not in RECURRING_NEEDS:
            raise ValueError(f"only {', '.join(sorted(RECURRING_NEEDS))} needs may recur")
        if self.start is None:
            raise ValueError("a recurring need needs its first day as start")
        try:
            recurring_days(
                self.start, until=self.until, weekdays=self.weekdays, rrule_text=self.rrule
            )
        except RecurrenceError as error:
            raise ValueError(error.problem.msg) from None
        return self


class ConsentIn(_Input):
    """Consent per purpose; all three are asked and answered explicitly (no defaults)."""

    data_processing: bool
    notify_contacts: bool
    share_with_volunteers: bool

    @field_validator("data_processing")
    @classmethod
    def _required(cls, value: bool) -> bool:
        if not value:
            raise ValueError("without consent to data processing no case can be opened")
        return value


class NewCase(_Input):
    """A request for help, as the contact point takes it."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "site": "kaiserslautern",
                    "channel": "phone",
                    "urgency": "routine",
                    "client": {
                        "given_name": "Erika",
                        "family_name": "Mustermann",
                        "birth_date": "1944-05-17",
                        "postal_code": "67655",
                        "language": "de",
                        "care_level": "2",
                    },
                    "contacts": [
                        {
                            "relation": "daughter",
                            "given_name": "Anna",
                            "family_name": "Mustermann",
                            "email": "anna.mustermann@example.org",
                            "language": "de",
                            "notify": True,
                        }
                    ],
                    "needs": [
                        {"type": "counselling", "note": "Fragen zur Pflegeversicherung"},
                        {"type": "volunteer_visit"},
                    ],
                    "consent": {
                        "data_processing": True,
                        "notify_contacts": True,
                        "share_with_volunteers": True,
                    },
                }
            ]
        }
    )

    site: SiteId
    channel: Channel
    urgency: Urgency
    client: ClientIn
    contacts: Annotated[list[ContactIn], Field(max_length=10)] = []
    needs: Annotated[list[NeedIn], Field(min_length=1, max_length=20)]
    consent: ConsentIn


class CaseCreated(BaseModel):
    case_id: uuid.UUID
    status: CaseStatus


def _absent(value: object) -> bool:
    return value is None


# Details show what the acting service reported, and only that: no column of nulls.
Reported = Field(default=None, exclude_if=_absent)


class NeedDetails(BaseModel):
    """What the acting service reported about a need (booking, volunteer, or why not)."""

    booking_id: uuid.UUID | None = Reported
    resource_type: str | None = Reported  # guest_apartment, counselling, day_care_place...
    resource_name: str | None = Reported
    start: datetime | None = Reported
    end: datetime | None = Reported
    staff_name: str | None = Reported
    match_id: uuid.UUID | None = Reported
    volunteer_given_name: str | None = Reported
    reason: str | None = Reported  # why a need is unavailable, unfilled or cancelled
    # A course place (prevention_course): the registration, the course and its title;
    # `start` is its first session. Waitlisted: the 1-based place on the list; offered: until
    # when the place is held for the person.
    registration_id: uuid.UUID | None = Reported
    course_id: uuid.UUID | None = Reported
    course_title: str | None = Reported
    position: int | None = Reported
    offer_expires_at: datetime | None = Reported
    # A place waited for (a day-care day, the guest apartment): the waiting entry; `start`
    # and `end` are the period asked for, `reason` why a wait ended (cancelled, declined,
    # expired).
    entry_id: uuid.UUID | None = Reported
    # A recurring need's series as scheduling told it (BookingSeriesChanged), never added up
    # here: "booked `days_booked` of `days_total`", the next booked day, the days that wait.
    days_total: int | None = Reported
    days_booked: int | None = Reported
    next_date: date | None = Reported
    waitlisted_dates: list[date] | None = Reported


class NeedView(BaseModel):
    need_id: uuid.UUID
    type: NeedType
    start: date | None
    days: int | None
    course_id: uuid.UUID | None = None
    until: date | None = None
    weekdays: list[Weekday] | None = None
    rrule: str | None = None
    note: str | None
    state: NeedState
    details: NeedDetails
    updated_at: datetime


class ClientView(BaseModel):
    given_name: str
    family_name: str
    language: Language
    care_level: CareLevel


class CaseView(BaseModel):
    case_id: uuid.UUID
    site: str
    status: CaseStatus
    urgency: Urgency
    channel: Channel
    created_at: datetime
    updated_at: datetime
    client: ClientView
    needs: list[NeedView]


class CaseSummary(BaseModel):
    """A list entry: no name, no care level, no needs. Listing is not reading health data;
    the client's details cost a (audited) GET of the case."""

    case_id: uuid.UUID
    site: str
    status: CaseStatus
    urgency: Urgency
    channel: Channel
    created_at: datetime
    updated_at: datetime


class CasePage(BaseModel):
    items: list[CaseSummary]
    total: int
    limit: int
    offset: int
