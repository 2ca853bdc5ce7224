"""Who is calling, as established by a verified token, and what they may touch."""

from dataclasses import dataclass
from uuid import UUID

from cq_shared.http.problems import ProblemError

# The ``sites`` claim value that grants every site (platform staff, services).
ALL_SITES = "*"


@dataclass(frozen=True, slots=True)
class Principal:
    """An authenticated caller. Immutable so that no handler can widen its own grants."""

    subject: str
    roles: frozenset[str] = frozenset()
    sites: frozenset[str] = frozenset()
    name: str | None = None
    # The person the caller is, when a token names one (decision 0005, "Person-scoped
    # claims"): a volunteer answers only their own invitations, a staff member their own
    # shift offers. None: the token speaks for no particular volunteer or staff member.
    volunteer_id: UUID | None = None
    staff_id: UUID | None = None

    @property
    def has_all_sites(self) -> bool:
        return ALL_SITES in self.sites

    def has_role(self, role: str) -> bool:
        return role in self.roles

    def has_any_role(self, *roles: str) -> bool:
        return not self.roles.isdisjoint(roles)

    def can_access_site(self, site: str) -> bool:
        return self.has_all_sites or site in self.sites

    def require_site(self, site: str) -> None:
        """Raise a 403 problem unless the caller may act on ``site``."""
        if not self.can_access_site(site):
            # The detail does not name the caller's sites: that would map the organisation.
            raise ProblemError(403, detail="You do not have access to this site.")
