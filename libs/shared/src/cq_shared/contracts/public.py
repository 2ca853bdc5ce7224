"""Public events: what other DRK branches and the evaluation team may read (journey 7).

A public topic is named `public.<subject>.v1` and carries facts about sites, never about a
person: no name, contact point, birth date, postal code or case id, and no count of people
asking for help so small that a person could be singled out (docs/decisions/0015). Free
places are published as they are, since that is their purpose: at a site with one guest
apartment, a branch sees when it is taken, not by whom. The payloads need no id of a person at
all, so none is pseudonymised. The events are CloudEvents in binary mode like every internal
one, with the same catalogue, JSON Schemas and compatibility rules; the human-readable contract
is docs/public-contract.md.
"""

import datetime as dt
from typing import ClassVar, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from cq_shared.contracts.common import PREFIX
from cq_shared.events.catalogue import catalogue
from cq_shared.events.payload import EventPayload
from cq_shared.events.topics import TopicSpec

# Counts from 1 to SMALL_COUNT_THRESHOLD - 1 are withheld: five is the smallest group the
# Federal Statistical Office and most German health reporting publish. Zero is shown: that
# nobody asked singles out nobody.
SMALL_COUNT_THRESHOLD = 5
# Notifications forwards public events to the branches' webhooks; branches themselves read
# each declared public topic through a grant of their own (docs/decisions/0016).
PUBLIC_READERS = ("notifications",)

# Keyed by site, resource type and date, compacted: a branch that reads from the beginning
# finds each day's latest figure; days older than a year and a month are dropped.
AVAILABILITY_TOPIC = catalogue.declare_topic(
    TopicSpec(
        "public.availability.v1",
        owner="scheduling",
        readers=PUBLIC_READERS,
        retention=dt.timedelta(days=400),
        cleanup_policy="compact,delete",
    )
)
# One event per site and closed day; kept for two years of evaluation.
NEEDS_DAILY_TOPIC = catalogue.declare_topic(
    TopicSpec(
        "public.needs-daily.v1",
        owner="intake",
        readers=PUBLIC_READERS,
        retention=dt.timedelta(days=731),
    )
)

# Keyed by course, compacted: a branch that reads from the beginning finds each course's
# latest figures; a course unchanged for a year and a month is dropped.
COURSES_TOPIC = catalogue.declare_topic(
    TopicSpec(
        "public.courses.v1",
        owner="scheduling",
        readers=PUBLIC_READERS,
        retention=dt.timedelta(days=400),
        cleanup_policy="compact,delete",
    )
)


class PublicEvent(EventPayload):
    """Every public event is about one site."""

    site: str = Field(description="The site's id in the network's site catalogue.")


PlaceType = Literal["guest_apartment", "day_care_place"]


@catalogue.register
class PlacesAvailable(PublicEvent):
    """How many places of a kind a site has free on one day, after a booking or a
    cancellation changed it. Key: `<site>/<resource_type>/<date>`."""

    event_type: ClassVar[str] = f"{PREFIX}.public.availability.changed.v1"
    topic: ClassVar[str] = AVAILABILITY_TOPIC
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "site": "kaiserslautern",
                    "date": "2026-12-01",
                    "resource_type": "guest_apartment",
                    "capacity": 2,
                    "free": 1,
                }
            ]
        }
    )

    date: dt.date = Field(description="The day, in the site's time zone.")
    resource_type: PlaceType
    capacity: int = Field(ge=0, description="Places of this kind at the site that day.")
    free: int = Field(ge=0, description="Places not booked.")


class NeedCount(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")

    need_type: str = Field(description="A need type of the platform's taxonomy.")
    count: int | None = Field(
        ge=0, description="Needs of this type asked for that day; null when withheld."
    )
    withheld: bool = Field(
        description="True when the count is between 1 and the threshold minus one."
    )


@catalogue.register
class DailyNeedCounts(PublicEvent):
    """How many needs of each type were asked for at a site on one closed day (site time).
    Published once, shortly after the day ends. Key: `<site>/<date>`."""

    event_type: ClassVar[str] = f"{PREFIX}.public.needs.daily.v1"
    topic: ClassVar[str] = NEEDS_DAILY_TOPIC
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "site": "muenster",
                    "date": "2026-11-30",
                    "threshold": 5,
                    "counts": [
                        {"need_type": "counselling", "count": 7, "withheld": False},
                        {"need_type": "day_care", "count": None, "withheld": True},
                        {"need_type": "home_visit", "count": 0, "withheld": False},
                    ],
                }
            ]
        }
    )

    date: dt.date
    threshold: int = Field(description="Counts from 1 to threshold - 1 are withheld.")
    counts: list[NeedCount] = Field(description="One entry per need type the site offers.")


def need_count(need_type: str, count: int) -> NeedCount:
    """A count as published: withheld when it is small enough to single a person out."""
    withheld = 0 < count < SMALL_COUNT_THRESHOLD
    return NeedCount(need_type=need_type, count=None if withheld else count, withheld=withheld)


@catalogue.register
class CourseSeatsChanged(PublicEvent):
    """A course a site offers, with its free places, when it is created and whenever a
    registration, cancellation or promotion changed these figures (a change that leaves them
    as they were is not announced). Key: `<course_id>`."""

    event_type: ClassVar[str] = f"{PREFIX}.public.course.changed.v1"
    topic: ClassVar[str] = COURSES_TOPIC
    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "site": "muenster",
                    "course_id": "5f0c6c7e-3f7a-4c55-9a53-0d3b8f1f2a10",
                    "title": "Sturzprävention",
                    "language": "de",
                    "capacity": 12,
                    "free": 1,
                    "waitlisted": 0,
                    "waitlisted_withheld": False,
                    "next_sessions": ["2030-03-12T10:00:00+01:00"],
                }
            ]
        }
    )

    course_id: UUID = Field(description="The course's id; the same in every event about it.")
    title: str = Field(description="The course's title, as the site names it.")
    language: str = Field(description="ISO 639-1 code of the language the course is held in.")
    capacity: int = Field(ge=1, description="Places of the course.")
    free: int = Field(ge=0, description="Places neither confirmed nor held for an offer.")
    waitlisted: int | None = Field(
        ge=0,
        description=(
            "People on the waiting list, rounded down to a multiple of the threshold (5); "
            "null when withheld."
        ),
    )
    waitlisted_withheld: bool = Field(
        description="True when the count is between 1 and the threshold minus one."
    )
    next_sessions: list[dt.datetime] = Field(
        description="The starts of the next sessions (at most five), earliest first."
    )
