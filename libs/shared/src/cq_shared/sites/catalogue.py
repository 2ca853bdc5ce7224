"""The sites of a network, read from data (`sites.toml`), not code.

One file format for every service: each site's id, name, time zone, the services it runs and
the needs it offers. A deployment points `CQ_SITES_FILE` at its own file; without it, the
packaged file (the four sites of the source texts) is read. A new site is a file change.
"""

import tomllib
from datetime import date, datetime, time, timedelta
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, field_validator

from cq_shared.contracts.common import NeedType
from cq_shared.contracts.inputs import SiteId

SERVICES = frozenset({"intake", "scheduling", "volunteering", "notifications"})
ServiceName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,62}$")]


class Site(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    needs: Annotated[frozenset[NeedType], Field(min_length=1)]
    # Local dates (today, a day's bookings, a certificate's last day) are the site's.
    timezone: str = "Europe/Berlin"
    # The services this site runs; unset means all of them.
    services: frozenset[ServiceName] = SERVICES
    # The site coordination's role mailbox (not a person's): where alerts go that someone at
    # the site must act on, e.g. a staff gap nobody may fill (journey 4). Unset: no alert mail.
    coordinator_email: EmailStr | None = None

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        # Fails at start-up, not on the first request, when an image lacks the tz database.
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    @cached_property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def offers(self, need: NeedType) -> bool:
        return need in self.needs

    def runs(self, service: str) -> bool:
        return service in self.services

    def today(self, now: datetime) -> date:
        """The site's date at `now` (it differs from UTC's late in the evening)."""
        return now.astimezone(self.zone).date()

    def at(self, day: date, clock_time: time) -> datetime:
        """The instant `day` at `clock_time` on the site's wall clock (DST-aware)."""
        return datetime.combine(day, clock_time, tzinfo=self.zone)

    def whole_day(self, day: date) -> tuple[datetime, datetime]:
        """Midnight to midnight of `day`: 23 or 25 hours on the days the clocks change."""
        return self.at(day, time()), self.at(day + timedelta(days=1), time())


class SiteCatalogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sites: Annotated[dict[SiteId, Site], Field(min_length=1)]

    def get(self, site_id: str) -> Site | None:
        return self.sites.get(site_id)

    def __getitem__(self, site_id: str) -> Site:
        return self.sites[site_id]

    def serves(self, site_id: str, service: str) -> bool:
        """Whether this deployment runs `service` for `site_id` (the unserved-site rule)."""
        site = self.sites.get(site_id)
        return site is not None and site.runs(service)


def load_site_catalogue(path: Path | None = None) -> SiteCatalogue:
    """The packaged `sites.toml`, or `path`; raises on a file that does not validate."""
    if path is None:
        text = resources.files("cq_shared.sites").joinpath("sites.toml").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    return SiteCatalogue.model_validate(tomllib.loads(text))
