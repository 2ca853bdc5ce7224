"""FastAPI dependencies shared by the routers of this service."""

from typing import Annotated

from fastapi import Depends, Request

from cq_shared.service import ServiceContext


async def service_context(request: Request) -> ServiceContext:
    context: ServiceContext = request.app.state.context
    return context


async def served_sites(request: Request) -> frozenset[str]:
    sites: frozenset[str] = request.app.state.sites
    return sites


ContextDep = Annotated[ServiceContext, Depends(service_context)]
SitesDep = Annotated[frozenset[str], Depends(served_sites)]
