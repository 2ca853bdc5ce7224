"""`/v1/volunteers`: personal data of volunteers, for coordinators and site admins only."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Response

from cq_shared.auth import Principal, Role, require_roles
from cq_shared.contracts.inputs import SiteId
from cq_shared.db import SessionDep
from cq_volunteering.dependencies import ContextDep, SitesDep
from cq_volunteering.volunteers import service
from cq_volunteering.volunteers.models import Volunteer
from cq_volunteering.volunteers.schemas import VolunteerCreate, VolunteerPublic

router = APIRouter(prefix="/v1/volunteers", tags=["volunteers"])
Manager = Annotated[Principal, Depends(require_roles(Role.COORDINATOR, Role.SITE_ADMIN))]


@router.get("")
async def list_volunteers(
    session: SessionDep,
    who: Manager,
    site: Annotated[SiteId | None, Query()] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[VolunteerPublic]:
    return [_public(v) for v in await service.list_for(session, who, site, limit)]


@router.post("", status_code=201)
async def create_volunteer(
    *,
    body: VolunteerCreate,
    session: SessionDep,
    who: Manager,
    context: ContextDep,
    sites: SitesDep,
    response: Response,
) -> VolunteerPublic:
    who.require_site(body.site)
    volunteer = await service.register(session, body, sites, context.clock)
    response.headers["Location"] = f"/v1/volunteers/{volunteer.id}"
    return _public(volunteer)


@router.get("/{volunteer_id}")
async def get_volunteer(
    volunteer_id: uuid.UUID, session: SessionDep, who: Manager
) -> VolunteerPublic:
    return _public(await service.get(session, who, volunteer_id))


def _public(volunteer: Volunteer) -> VolunteerPublic:
    return VolunteerPublic.model_validate(volunteer, from_attributes=True)
