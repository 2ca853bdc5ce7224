"""Demo volunteers for `make run`: read from the packaged `demo_volunteers.toml` and upserted
by a fixed id, so a restart updates them instead of adding more (and refreshes the expiry
dates, which the file gives relative to today)."""

import logging
import tomllib
import uuid
from datetime import date, timedelta
from importlib import resources
from typing import Any

from cq_shared.service import ServiceContext
from cq_volunteering.volunteers import repository
from cq_volunteering.volunteers.schemas import VolunteerCreate

log = logging.getLogger(__name__)
DATA_FILE = "demo_volunteers.toml"
# Ids are derived from site and e-mail, so they stay the same on every start.
DEMO_NAMESPACE = uuid.UUID("6f1c0a52-2f64-4c57-9d0e-8a3a5b7f0c11")


def demo_volunteers(today: date) -> list[tuple[uuid.UUID, VolunteerCreate]]:
    """The file's volunteers, checked by the same rules as the API's."""
    text = resources.files("cq_volunteering").joinpath(DATA_FILE).read_text(encoding="utf-8")
    entries: list[dict[str, Any]] = tomllib.loads(text)["volunteer"]
    volunteers = []
    for entry in entries:
        fields = dict(entry)
        days = fields.pop("certificate_expires_in_days")
        fields["certificate_of_conduct_expires_on"] = today + timedelta(days=days)
        volunteer = VolunteerCreate.model_validate(fields)
        identity = uuid.uuid5(DEMO_NAMESPACE, f"{volunteer.site}/{volunteer.email}")
        volunteers.append((identity, volunteer))
    return volunteers


async def load_demo_volunteers(context: ServiceContext) -> None:
    now = context.clock.now()
    # The file's expiry dates are relative to today; a day's difference between the sites'
    # zones and UTC does not matter for demo data.
    volunteers = demo_volunteers(now.date())
    async with context.database.unit_of_work() as session:
        for identity, volunteer in volunteers:
            if not context.sites.serves(volunteer.site, context.name):
                continue
            await repository.upsert(
                session,
                {
                    **volunteer.model_dump(mode="json"),
                    "id": identity,
                    "email": volunteer.email.lower(),
                    "certificate_of_conduct_expires_on": (
                        volunteer.certificate_of_conduct_expires_on
                    ),
                    "created_at": now,
                    "updated_at": now,
                },
            )
    log.info("demo data: %d volunteers upserted", len(volunteers))
