"""The sites intake serves, read from data (`sites.toml`), not code: a new site or a changed
offer is a file change, and `CQ_INTAKE_SITES_FILE` can point a deployment at its own file."""

import tomllib
from datetime import date, datetime
from importlib import resources
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from cq_shared.contracts import NeedType

SiteId = Annotated[str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]


class Site(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    name: Annotated[str, StringConstraints(min_length=1, max_length=200)]
    needs: Annotated[frozenset[NeedType], Field(min_length=1)]
    # "Today" for date checks is the site's today, not UTC's (they differ after 22:00).
    timezone: str = "Europe/Berlin"

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        # Fails at start-up, not on the first request, when an image lacks the tz database.
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as error:
            raise ValueError(f"unknown time zone {value!r}") from error
        return value

    def offers(self, need: NeedType) -> bool:
        return need in self.needs

    def today(self, now: datetime) -> date:
        return now.astimezone(ZoneInfo(self.timezone)).date()


class SiteCatalogue(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    sites: Annotated[dict[SiteId, Site], Field(min_length=1)]

    def get(self, site_id: str) -> Site | None:
        return self.sites.get(site_id)


def load_sites(path: Path | None = None) -> SiteCatalogue:
    """The packaged `sites.toml`, or `path`; raises on a file that does not validate."""
    if path is None:
        text = resources.files("cq_intake").joinpath("sites.toml").read_text("utf-8")
    else:
        text = path.read_text("utf-8")
    return SiteCatalogue.model_validate(tomllib.loads(text))
