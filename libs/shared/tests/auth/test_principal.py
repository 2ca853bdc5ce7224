"""Principal's grants: roles, sites and the "*" wildcard."""

import dataclasses

import pytest

from cq_shared.auth import Principal, Role
from cq_shared.http.problems import ProblemError


def test_site_access() -> None:
    principal = Principal(subject="u", sites=frozenset({"muenster", "zwenkau"}))
    assert principal.can_access_site("muenster")
    assert not principal.can_access_site("kaiserslautern")
    assert not principal.can_access_site("*")
    assert not principal.has_all_sites


def test_all_sites() -> None:
    principal = Principal(subject="u", sites=frozenset({"*"}))
    assert principal.has_all_sites
    assert principal.can_access_site("koeln-chorweiler")


def test_no_sites_means_none() -> None:
    assert not Principal(subject="u").can_access_site("muenster")


def test_roles() -> None:
    principal = Principal(subject="u", roles=frozenset({Role.VOLUNTEER}))
    assert principal.has_role(Role.VOLUNTEER)
    assert principal.has_role("volunteer")
    assert not principal.has_role(Role.COORDINATOR)
    assert principal.has_any_role(Role.COORDINATOR, Role.VOLUNTEER)
    assert not principal.has_any_role(Role.COORDINATOR, Role.SITE_ADMIN)


def test_require_site_raises_403() -> None:
    principal = Principal(subject="u", sites=frozenset({"muenster"}))
    principal.require_site("muenster")
    with pytest.raises(ProblemError) as caught:
        principal.require_site("zwenkau")
    assert caught.value.status == 403
    assert caught.value.title == "Forbidden"


def test_principal_is_immutable() -> None:
    principal = Principal(subject="u")
    with pytest.raises(dataclasses.FrozenInstanceError):
        principal.sites = frozenset({"*"})  # type: ignore[misc]
