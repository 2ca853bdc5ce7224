"""The needs volunteering works on and the matches proposed for them."""

import uuid
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

# The volunteers table must be in the metadata for the foreign key below.
import cq_volunteering.volunteers.models  # noqa: F401
from cq_shared.db.columns import jsonb_column, utc_datetime_column


class MatchStatus(StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


# A volunteer is busy with a match while it is proposed (asked, not yet answered) or accepted.
ACTIVE_STATUSES = (MatchStatus.PROPOSED, MatchStatus.ACCEPTED)


class NeedStatus(StrEnum):
    OPEN = "open"  # a proposal is waiting for an answer
    FILLED = "filled"
    UNFILLED = "unfilled"  # no (further) eligible volunteer: a coordinator steps in
    WITHDRAWN = "withdrawn"  # the client withdrew consent (CaseErased)


class VolunteerNeed(SQLModel, table=True):
    """A need of a case that volunteers may take on, with what matching needs to find the
    next candidate after a decline: the client's language and postal code, nothing more."""

    # Not "needs": every service's tables share SQLModel.metadata in one test process, and
    # intake has a "needs" table.
    __tablename__ = "volunteer_needs"

    need_id: uuid.UUID = Field(primary_key=True)
    case_id: uuid.UUID = Field(index=True)
    site: str
    need_type: str
    start: date | None = None
    client_language: str
    client_postal_code: str
    status: str
    created_at: datetime = Field(sa_column=utc_datetime_column())


class Match(SQLModel, table=True):
    __tablename__ = "matches"
    __table_args__ = (
        # Nobody is asked twice for the same need.
        UniqueConstraint("need_id", "volunteer_id", name="uq_matches_need_volunteer"),
        # At most one open or accepted match per need, even under concurrent deliveries.
        Index(
            "uq_matches_active_need",
            "need_id",
            unique=True,
            postgresql_where=text("status IN ('proposed', 'accepted')"),
        ),
    )

    id: uuid.UUID = Field(primary_key=True)
    case_id: uuid.UUID = Field(index=True)
    need_id: uuid.UUID = Field(foreign_key="volunteer_needs.need_id")  # indexed by the unique keys
    site: str = Field(index=True)
    need_type: str
    volunteer_id: uuid.UUID = Field(foreign_key="volunteers.id", index=True)
    status: str
    score: float
    reasons: list[dict[str, Any]] = Field(sa_column=jsonb_column())
    created_at: datetime = Field(sa_column=utc_datetime_column())
    decided_at: datetime | None = Field(default=None, sa_column=utc_datetime_column(nullable=True))
