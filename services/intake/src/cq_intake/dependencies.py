"""FastAPI dependencies for what the running app holds: its context and its sites."""

from typing import Annotated

from fastapi import Depends

from cq_shared.auth import Principal, Role, require_roles
from cq_shared.service.dependencies import ContextDep, SitesDep

__all__ = ["CaseWorker", "ContextDep", "SitesDep"]

# The people who take requests and work on cases; volunteers never see a case (purpose
# limitation), platform staff only through a site role.
CaseWorker = Annotated[
    Principal, Depends(require_roles(Role.COORDINATOR, Role.CARE_STAFF, Role.SITE_ADMIN))
]
