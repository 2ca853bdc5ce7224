"""Helpers of intake's tests: request bodies and SQL counts (publishing and polling are in
cq_testing)."""

from datetime import date, timedelta
from typing import Any

from fastapi import FastAPI

import cq_testing
from cq_testing import emergency_request

TODAY = date(2025, 6, 2)  # conftest.NOW, in Germany
TABLES = ("cases", "clients", "contacts", "needs", "audit_events", "outbox", "inbox")


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


NEIGHBOUR = {
    "relation": "neighbour",
    "given_name": "Klaus",
    "family_name": "Nachbar",
    "phone": "0631 123456",
    "language": "de",
    "notify": False,
}


def emergency(site: str = "kaiserslautern", **changes: Any) -> dict[str, Any]:
    """Journey 1: the daughter goes to hospital tomorrow; her mother needs care meanwhile (and
    a neighbour, not to be written to, is named too)."""
    body = emergency_request(site, TODAY + timedelta(days=1))
    body["contacts"].append(NEIGHBOUR)
    body["needs"][0]["note"] = "Demenz, nachts unruhig"
    body.update(changes)
    return body


async def rows(app: FastAPI, sql: str, **params: Any) -> list[Any]:
    return await cq_testing.rows(app.state.context.database, sql, **params)


async def counts(app: FastAPI) -> dict[str, int]:
    return {table: (await rows(app, f"SELECT count(*) FROM {table}"))[0][0] for table in TABLES}
