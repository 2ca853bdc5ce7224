"""The roles CareQuartier knows. Tokens carry them in the ``roles`` claim."""

from enum import StrEnum


class Role(StrEnum):
    """A role grants kinds of actions; which sites they apply to comes from ``sites``."""

    COORDINATOR = "coordinator"
    CARE_STAFF = "care_staff"
    VOLUNTEER = "volunteer"
    SITE_ADMIN = "site_admin"
    PLATFORM_ADMIN = "platform_admin"
    # Reads the audit trail (GET /v1/audit) and nothing else: the GDPR Art. 37-39 role that
    # checks who touched health data; it sees no case itself (decision 0013).
    DATA_PROTECTION_OFFICER = "data_protection_officer"
    # Service-to-service calls, never a person.
    SERVICE = "service"


KNOWN_ROLES: frozenset[str] = frozenset(role.value for role in Role)
