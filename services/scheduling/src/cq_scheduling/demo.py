"""Demo data for `make run`: the four sites of the source texts, a course and a staff plan, from
`demo_data.toml`.

Site configuration is data, not code: this hook only reads the file and upserts it, so
running it at every start-up (or in two processes at once) leaves the same rows.
"""

import logging
import tomllib
from importlib import resources
from typing import Any

from cq_scheduling.courses.seed import DemoCourse, seed_course
from cq_scheduling.settings import SchedulingSettings
from cq_scheduling.sites import upserts
from cq_scheduling.sites.site_data import SiteData
from cq_scheduling.staffing.seed import DemoStaffing, seed_staffing
from cq_shared.service import ServiceContext

log = logging.getLogger(__name__)


def _demo_file() -> dict[str, Any]:
    text = resources.files("cq_scheduling").joinpath("demo_data.toml").read_text("utf-8")
    return tomllib.loads(text)


def demo_data() -> SiteData:
    file = _demo_file()
    file.pop("courses", None)  # the courses area's part (demo_courses)
    file.pop("staffing", None)  # the staffing area's part (demo_staffing)
    return SiteData.model_validate(file)


def demo_courses() -> list[DemoCourse]:
    return [DemoCourse.model_validate(entry) for entry in _demo_file().get("courses", [])]


def demo_staffing() -> list[DemoStaffing]:
    return [DemoStaffing.model_validate(entry) for entry in _demo_file().get("staffing", [])]


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
            await upserts.upsert_policies(session, site.policy_rows())
            await upserts.upsert_priority(session, site.priority_row())
        for course in demo_courses():
            if context.sites.serves(course.site, context.name):
                await seed_course(session, context, course)
        for staffing in demo_staffing():
            if context.sites.serves(staffing.site, context.name):
                await seed_staffing(session, context, staffing)
    log.info("demo data loaded for %s sites", len(served))
