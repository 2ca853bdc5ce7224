"""FastAPI dependencies for what every running service holds: its context and its sites."""

from typing import Annotated

from fastapi import Depends, Request

from cq_shared.service.context import ServiceContext
from cq_shared.sites import SiteCatalogue


async def service_context(request: Request) -> ServiceContext:
    # Set once the service has started; routes are refused with a 503 until then.
    context: ServiceContext = request.app.state.context
    return context


async def site_catalogue(request: Request) -> SiteCatalogue:
    sites: SiteCatalogue = request.app.state.sites
    return sites


ContextDep = Annotated[ServiceContext, Depends(service_context)]
SitesDep = Annotated[SiteCatalogue, Depends(site_catalogue)]
