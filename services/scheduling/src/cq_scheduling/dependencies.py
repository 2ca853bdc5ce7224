"""FastAPI dependencies shared by the routers: the running service and who may call."""

from typing import Annotated

from fastapi import Depends

from cq_shared.auth import Principal, Role, require_roles
from cq_shared.service.dependencies import ContextDep, SitesDep

__all__ = ["ContextDep", "Planner", "Reader", "SiteAdmin", "SitesDep"]

# Reading bookings and inventory: the people who plan care at a site.
Reader = Annotated[
    Principal, Depends(require_roles(Role.COORDINATOR, Role.CARE_STAFF, Role.SITE_ADMIN))
]
# Booking and cancelling: coordinators and the site's administrators, not every carer.
Planner = Annotated[Principal, Depends(require_roles(Role.COORDINATOR, Role.SITE_ADMIN))]
# A site's offer and plan (courses, shifts): decided by its administrators.
SiteAdmin = Annotated[Principal, Depends(require_roles(Role.SITE_ADMIN))]
