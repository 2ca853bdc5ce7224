"""API models of availability."""

from datetime import date

from pydantic import BaseModel


class DayAvailability(BaseModel):
    type: str
    date: date
    capacity: int
    booked: int
    free: int


class SiteAvailability(BaseModel):
    site: str
    start: date
    end: date  # inclusive: the last day answered
    items: list[DayAvailability]  # by type, then date
