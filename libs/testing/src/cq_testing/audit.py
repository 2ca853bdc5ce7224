"""Reading a service's audit trail (`GET /v1/audit`, cq_shared.audit) in tests."""

from typing import Any

import httpx

# Every field an audit record has: ids and words from fixed vocabularies, no health data.
# A record with any other field (a name, a note, a payload) fails `audit_trail`.
AUDIT_FIELDS = frozenset(
    {
        "id",
        "occurred_at",
        "actor",
        "roles",
        "site",
        "action",
        "resource",
        "case_id",
        "purpose",
        "trace_id",
    }
)


async def audit_trail(
    client: httpx.AsyncClient, headers: dict[str, str], **query: str
) -> list[dict[str, Any]]:
    """The records `GET /v1/audit?<query>` shows the caller (newest first); asserts a 200
    and that no record carries anything but the audit fields."""
    response = await client.get("/v1/audit", params=query, headers=headers)
    assert response.status_code == 200, f"/v1/audit: {response.status_code} {response.text}"
    records: list[dict[str, Any]] = response.json()
    for record in records:
        assert set(record) == AUDIT_FIELDS, sorted(set(record) ^ AUDIT_FIELDS)
    return records


def summary(records: list[dict[str, Any]]) -> list[tuple[str, str, str, str, str]]:
    """(actor, action, resource, site, purpose) of each record, in the trail's order."""
    return [(r["actor"], r["action"], r["resource"], r["site"], r["purpose"]) for r in records]
