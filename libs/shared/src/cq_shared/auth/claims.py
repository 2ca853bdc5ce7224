"""Turning verified JWT claims into a Principal, strictly: malformed grants are refused."""

from collections.abc import Mapping
from typing import Any

from cq_shared.auth.errors import TokenVerificationError
from cq_shared.auth.principal import Principal

_INVALID = "The access token is not valid."


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    """Build the caller from already signature-checked claims.

    ``roles`` and ``sites`` are optional (absent means none granted) but, when present,
    must be lists of non-empty strings. A lone string is refused instead of being read
    as a list of characters or guessed at.
    """
    subject = claims.get("sub")
    if not isinstance(subject, str) or not subject:
        raise TokenVerificationError(_INVALID)
    name = claims.get("name")
    return Principal(
        subject=subject,
        roles=_string_set(claims.get("roles")),
        sites=_string_set(claims.get("sites")),
        name=name if isinstance(name, str) and name else None,
    )


def _string_set(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise TokenVerificationError(_INVALID)
    return frozenset(value)
