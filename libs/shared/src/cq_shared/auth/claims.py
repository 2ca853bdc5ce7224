"""Turning verified JWT claims into a Principal, strictly: malformed grants are refused."""

from collections.abc import Mapping
from typing import Any
from uuid import UUID

from cq_shared.auth.errors import TokenVerificationError
from cq_shared.auth.principal import Principal

_INVALID = "The access token is not valid."


def principal_from_claims(claims: Mapping[str, Any]) -> Principal:
    """Build the caller from already signature-checked claims.

    ``roles`` and ``sites`` are optional (absent means none granted) but, when present,
    must be lists of non-empty strings. A lone string is refused instead of being read
    as a list of characters or guessed at. ``volunteer_id`` and ``staff_id`` are optional
    too but, when present, must be UUIDs in their canonical hyphenated form.
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
        volunteer_id=_person_id(claims.get("volunteer_id")),
        staff_id=_person_id(claims.get("staff_id")),
    )


def _string_set(value: Any) -> frozenset[str]:
    if value is None:
        return frozenset()
    if not isinstance(value, list) or not all(isinstance(item, str) and item for item in value):
        raise TokenVerificationError(_INVALID)
    return frozenset(value)


def _person_id(value: Any) -> UUID | None:
    if value is None:
        return None
    if not isinstance(value, str):
        raise TokenVerificationError(_INVALID)
    try:
        parsed = UUID(value)
    except ValueError as exc:
        raise TokenVerificationError(_INVALID) from exc
    # UUID() also reads "{...}", "urn:uuid:..." and unhyphenated hex: one spelling only.
    if str(parsed) != value.lower():
        raise TokenVerificationError(_INVALID)
    return parsed
