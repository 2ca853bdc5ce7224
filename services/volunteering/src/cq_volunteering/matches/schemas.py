"""The matches API's responses."""

import uuid
from datetime import datetime

from pydantic import BaseModel, Field

from cq_shared.contracts import NeedType
from cq_volunteering.matches.models import MatchStatus


class ReasonPublic(BaseModel):
    criterion: str = Field(description="language, proximity, availability, load, certificate")
    weight: float = Field(description="The most this criterion can add to the score.")
    points: float = Field(description="What it added; the points of all reasons sum to score.")
    explanation: str


class MatchPublic(BaseModel):
    match_id: uuid.UUID
    case_id: uuid.UUID
    need_id: uuid.UUID
    need_type: NeedType
    site: str
    volunteer_id: uuid.UUID
    volunteer_given_name: str
    status: MatchStatus
    score: float = Field(ge=0, le=1)
    reasons: list[ReasonPublic]
    created_at: datetime
    decided_at: datetime | None
