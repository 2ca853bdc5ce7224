"""The volunteers API's bodies: strict at the edge, so nothing odd reaches the table."""

import uuid
from datetime import date, datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from cq_shared.contracts import Language, NeedType
from cq_shared.contracts.inputs import Email, Name, Phone, PostalCode, SiteId, no_duplicates
from cq_shared.recurrence import Weekday

# A certificate dated far outside this window is a typing error, not a certificate.
EARLIEST_EXPIRY = date(2000, 1, 1)
LATEST_EXPIRY = date(2100, 12, 31)


Languages = Annotated[
    list[Language], Field(min_length=1, max_length=len(Language)), AfterValidator(no_duplicates)
]
Skills = Annotated[
    list[NeedType], Field(min_length=1, max_length=len(NeedType)), AfterValidator(no_duplicates)
]
Weekdays = Annotated[
    list[Weekday], Field(min_length=1, max_length=len(Weekday)), AfterValidator(no_duplicates)
]


class VolunteerCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    site: SiteId
    given_name: Name
    family_name: Name
    email: Email
    phone: Phone | None = None
    languages: Languages = Field(description="In order of preference; the first is written to.")
    skills: Skills = Field(description="The need types this volunteer takes on.")
    postal_code: PostalCode
    weekdays: Weekdays = Field(description="Weekdays they can help on: mon ... sun.")
    max_load: int = Field(ge=1, le=20, description="Concurrent active matches at most.")
    certificate_of_conduct_expires_on: date = Field(
        ge=EARLIEST_EXPIRY,
        le=LATEST_EXPIRY,
        description="Expiry of the erweitertes Führungszeugnis (valid up to this day).",
    )


class VolunteerPublic(BaseModel):
    id: uuid.UUID
    site: str
    given_name: str
    family_name: str
    email: str
    phone: str | None
    languages: list[Language]
    skills: list[NeedType]
    postal_code: str
    weekdays: list[Weekday]
    max_load: int
    certificate_of_conduct_expires_on: date
    created_at: datetime
    updated_at: datetime
