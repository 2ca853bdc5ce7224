"""FastAPI dependencies for what the running app holds: its context and its sites."""

from typing import Annotated

from fastapi import Depends, Request

from cq_intake.sites import SiteCatalogue
from cq_shared.auth import Principal, Role, require_roles
from cq_shared.service import ServiceContext


async def service_context(request: Request) -> ServiceContext:
    context = request.app.state.context
    assert isinstance(context, ServiceContext)
    return context


async def site_catalogue(request: Request) -> SiteCatalogue:
    sites = request.app.state.sites
    assert isinstance(sites, SiteCatalogue)
    return sites


ContextDep = Annotated[ServiceContext, Depends(service_context)]
SitesDep = Annotated[SiteCatalogue, Depends(site_catalogue)]
# The people who take requests and work on cases; volunteers never see a case (purpose
# limitation), platform staff only through a site role.
CaseWorker = Annotated[
    Principal, Depends(require_roles(Role.COORDINATOR, Role.CARE_STAFF, Role.SITE_ADMIN))
]
