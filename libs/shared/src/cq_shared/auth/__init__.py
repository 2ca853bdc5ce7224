"""Authentication and authorisation: bearer JWTs in, a Principal with roles and sites out.

Typical use::

    app = FastAPI()
    install_problem_handlers(app)
    install_auth(app)

    Coordinator = Annotated[Principal, Depends(require_roles(Role.COORDINATOR))]

    @app.get("/sites/{site}/visits")
    async def visits(site: str, who: Coordinator) -> list[Visit]:
        who.require_site(site)
"""

from cq_shared.auth.dependencies import CurrentPrincipal, current_principal, require_roles
from cq_shared.auth.errors import (
    NoVerificationKeyError,
    TokenExpiredError,
    TokenVerificationError,
)
from cq_shared.auth.principal import ALL_SITES, Principal
from cq_shared.auth.roles import KNOWN_ROLES, Role
from cq_shared.auth.settings import AuthSettings
from cq_shared.auth.setup import install_auth
from cq_shared.auth.verifier import TokenVerifier

__all__ = [
    "ALL_SITES",
    "KNOWN_ROLES",
    "AuthSettings",
    "CurrentPrincipal",
    "NoVerificationKeyError",
    "Principal",
    "Role",
    "TokenExpiredError",
    "TokenVerificationError",
    "TokenVerifier",
    "current_principal",
    "install_auth",
    "require_roles",
]
