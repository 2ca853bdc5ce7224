"""Demo data for `make run`: the four sites of the source texts, from `demo_data.toml`.

Site configuration is data, not code: this hook only reads the file and upserts it, so
running it at every start-up (or in two processes at once) leaves the same rows.
"""

import logging
import tomllib
from importlib import resources

from cq_scheduling.settings import SchedulingSettings
from cq_scheduling.sites import upserts
from cq_scheduling.sites.site_data import SiteData
from cq_shared.service import ServiceContext

log = logging.getLogger(__name__)


def demo_data() -> SiteData:
    text = resources.files("cq_scheduling").joinpath("demo_data.toml").read_text("utf-8")
    return SiteData.model_validate(tomllib.loads(text))


async def load_demo_data(context: ServiceContext) -> None:
    """Startup hook; does nothing unless CQ_SCHEDULING_DEMO_DATA=true. Counselling slots
    start from the service clock's today, so a restart tops them up to the next 14 days."""
    if not SchedulingSettings().demo_data:
        return
    data = demo_data()
    now = context.clock.now()
    served = [site for site in data.sites if context.sites.serves(site.id, context.name)]
    async with context.database.unit_of_work() as session:
        for site in served:
            place = context.sites[site.id]
            hours = data.slots.hours(place, place.today(now))
            await upserts.upsert_resources(session, site.resource_rows())
            await upserts.upsert_staff(session, site.staff_rows())
            await upserts.add_slots(session, site.slot_rows(hours))
    log.info("demo data loaded for %s sites", len(served))
