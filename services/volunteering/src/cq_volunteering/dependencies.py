"""FastAPI dependencies shared by the routers of this service (the kernel's)."""

from cq_shared.service.dependencies import ContextDep, SitesDep

__all__ = ["ContextDep", "SitesDep"]
