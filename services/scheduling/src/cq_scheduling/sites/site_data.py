"""The shape of a site data file (see demo_data.toml) and the rows it stands for.

Ids are derived from (site, key), so loading the same file again names the same rows.
Unknown fields are refused: a typo in configuration should stop the start, not be ignored.
"""

import uuid
from datetime import date, datetime, time, timedelta

from pydantic import BaseModel, ConfigDict, Field, model_validator

from cq_scheduling.sites.models import (
    COUNSELLING_SKILL,
    CounsellingSlot,
    Resource,
    ResourceType,
    Staff,
)
from cq_scheduling.sites.slot_plan import weekday_slots
from cq_scheduling.waitlist.models import (
    LONGEST_HOLD_HOURS,
    Priority,
    Promotion,
    WaitlistPolicy,
    WaitlistPriority,
)
from cq_shared.contracts import Language
from cq_shared.sites import Site

IDS = uuid.UUID("5b0e7f0a-5c1d-4d57-9a43-2f7d3c1e9b10")  # namespace of the derived row ids


class Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SlotRules(Entry):
    days: int = Field(ge=1, le=90)
    opens: time
    closes: time
    minutes: int = Field(ge=15, le=240)

    def hours(self, site: Site, first_day: date) -> list[tuple[datetime, datetime]]:
        length = timedelta(minutes=self.minutes)
        return list(
            weekday_slots(
                site, first_day, self.days, opens=self.opens, closes=self.closes, length=length
            )
        )


class ResourceEntry(Entry):
    key: str
    type: ResourceType
    name: str
    count: int = Field(default=1, ge=1, le=100)  # e.g. 12 Tagespflegeplätze, numbered


class WaitlistEntry(Entry):
    """`[[sites.waitlist]]`: a need for this type that finds no place waits for one (instead
    of being refused), and a freed place goes to the first waiting by `promotion`."""

    type: ResourceType
    promotion: Promotion = Promotion.AUTOMATIC
    hold_hours: int | None = Field(default=None, ge=1, le=LONGEST_HOLD_HOURS)

    @model_validator(mode="after")
    def _hold(self) -> "WaitlistEntry":
        if (self.promotion == Promotion.OFFER) != (self.hold_hours is not None):
            raise ValueError("hold_hours is given exactly with promotion = offer")
        return self


class StaffEntry(Entry):
    key: str
    name: str
    role: str
    skills: list[str]
    languages: list[Language]


class SiteEntry(Entry):
    id: str
    counselling_location: str
    resources: list[ResourceEntry] = []
    staff: list[StaffEntry] = []
    waitlist: list[WaitlistEntry] = []
    # The order of every waiting list of the site, courses' and places' alike: `arrival`
    # (first come, first served) or `urgency` (emergency, urgent, routine; each by arrival).
    waitlist_priority: Priority = Priority.ARRIVAL

    def priority_row(self) -> WaitlistPriority:
        return WaitlistPriority(site=self.id, priority=self.waitlist_priority)

    def policy_rows(self) -> list[WaitlistPolicy]:
        return [
            WaitlistPolicy(
                site=self.id,
                resource_type=entry.type,
                promotion=entry.promotion,
                hold_hours=entry.hold_hours,
            )
            for entry in self.waitlist
        ]

    def resource_rows(self) -> list[Resource]:
        rows = []
        for entry in self.resources:
            numbered = entry.count > 1
            for number in range(1, entry.count + 1):
                key = f"{entry.key}-{number}" if numbered else entry.key
                rows.append(
                    Resource(
                        id=self._id(key),
                        site=self.id,
                        type=entry.type,
                        name=f"{entry.name} {number}" if numbered else entry.name,
                    )
                )
        return rows

    def staff_rows(self) -> list[Staff]:
        return [
            Staff(
                id=self._id(entry.key),
                site=self.id,
                name=entry.name,
                role=entry.role,
                skills=entry.skills,
                languages=[str(language) for language in entry.languages],
            )
            for entry in self.staff
        ]

    def slot_rows(self, hours: list[tuple[datetime, datetime]]) -> list[CounsellingSlot]:
        """The hours for every counsellor (staff with the counselling skill)."""
        return [
            CounsellingSlot(
                id=uuid.uuid4(),  # new rows only; existing (staff, start) slots are kept
                staff_id=self._id(entry.key),
                starts_at=start,
                ends_at=end,
                location=self.counselling_location,
            )
            for entry in self.staff
            if COUNSELLING_SKILL in entry.skills
            for start, end in hours
        ]

    def _id(self, key: str) -> uuid.UUID:
        return uuid.uuid5(IDS, f"{self.id}/{key}")


class SiteData(Entry):
    slots: SlotRules
    sites: list[SiteEntry]
