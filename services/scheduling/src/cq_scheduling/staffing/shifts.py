"""Shift plans: a site's administrators plan shifts; planners read them and the gaps."""

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.sites.service import check_site
from cq_scheduling.staffing import repository
from cq_scheduling.staffing.errors import StaffMemberNotFoundError
from cq_scheduling.staffing.models import GapStatus, Shift, ShiftStatus
from cq_scheduling.staffing.rules import Period, broken_rules
from cq_scheduling.staffing.schemas import GapPublic, NewShift, ShiftPublic
from cq_scheduling.staffing.settings import of_site
from cq_scheduling.staffing.views import gap_views
from cq_shared.auth import Principal
from cq_shared.errors import InvalidError
from cq_shared.service import ServiceContext
from cq_shared.sites import SiteCatalogue

MOST_LISTED = 2000


def public(shift: Shift) -> ShiftPublic:
    return ShiftPublic(
        shift_id=shift.id,
        unit=shift.unit,
        start=shift.starts_at,
        end=shift.ends_at,
        required_qualification=shift.required_qualification,
        staff_id=shift.staff_id,
        status=shift.status,
    )


async def create_shift(
    session: AsyncSession, context: ServiceContext, who: Principal, site_id: str, body: NewShift
) -> ShiftPublic:
    check_site(who, context.sites, site_id)
    site = context.sites[site_id]
    staffing = await of_site(session, site_id, site)
    if body.required_qualification not in staffing.rules.qualifications:
        raise InvalidError.at(
            "required_qualification",
            msg="not a qualification of this site",
            type="unknown_qualification",
        )
    await repository.lock_site(session, site_id)
    if body.staff_id is not None:
        member = await repository.member(session, body.staff_id)
        if member is None or member.site != site_id:
            raise StaffMemberNotFoundError("No such staff member at this site.")
        period = Period(body.start, body.end)
        window = repository.planning_window([period], staffing.rules.max_consecutive_days)
        [person] = [
            p for p in await repository.people(session, site_id, window) if p.staff_id == member.id
        ]
        broken = broken_rules(staffing.rules, person.roster, period, body.required_qualification)
        if broken:
            raise InvalidError.at(
                "staff_id",
                msg="the shift would break: " + ", ".join(broken),
                type="breaks_rules",
            )
    shift = Shift(
        id=uuid.uuid4(),
        site=site_id,
        unit=body.unit,
        starts_at=body.start,
        ends_at=body.end,
        required_qualification=body.required_qualification,
        staff_id=body.staff_id,
        status=ShiftStatus.UNCOVERED if body.staff_id is None else ShiftStatus.ASSIGNED,
    )
    session.add(shift)
    await session.flush()
    return public(shift)


async def list_shifts(
    session: AsyncSession,
    sites: SiteCatalogue,
    who: Principal,
    site_id: str,
    period: Period,
    *,
    unit: str | None,
    staff_id: uuid.UUID | None,
) -> list[ShiftPublic]:
    check_site(who, sites, site_id)
    found = await repository.shifts(
        session, site_id, period, unit=unit, staff_id=staff_id, limit=MOST_LISTED
    )
    return [public(shift) for shift in found]


async def list_gaps(
    session: AsyncSession,
    sites: SiteCatalogue,
    who: Principal,
    site_id: str,
    status: GapStatus | None,
) -> list[GapPublic]:
    check_site(who, sites, site_id)
    found = await repository.gaps(session, site_id, status, MOST_LISTED)
    return await gap_views(session, found)
