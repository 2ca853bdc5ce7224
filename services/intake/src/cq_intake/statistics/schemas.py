"""The statistics API's bodies: counts only, never a case id."""

from datetime import datetime

from pydantic import BaseModel


class Count(BaseModel):
    key: dict[str, str]
    count: int


class SiteStatistics(BaseModel):
    site: str
    start: datetime
    end: datetime
    cases: int
    erased: int  # of those, how many people have been erased since (still counted)
    by_need: list[Count]  # key: need_type, state (the outcome)
    by_age_band: list[Count]  # key: age_band
    by_care_level: list[Count]  # key: care_level
