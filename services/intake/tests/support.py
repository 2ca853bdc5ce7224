"""Helpers of intake's tests: request bodies and SQL counts (publishing and polling are in
cq_testing)."""

from datetime import date, timedelta
from typing import Any

from fastapi import FastAPI

import cq_testing

TODAY = date(2025, 6, 2)  # conftest.NOW, in Germany
TABLES = ("cases", "clients", "contacts", "needs", "audit_events", "outbox", "inbox")


def day(offset: int) -> str:
    return (TODAY + timedelta(days=offset)).isoformat()


def emergency(site: str = "kaiserslautern", **changes: Any) -> dict[str, Any]:
    """Journey 1: the daughter goes to hospital tomorrow; her mother needs care meanwhile."""
    body: dict[str, Any] = {
        "site": site,
        "channel": "phone",
        "urgency": "emergency",
        "client": {
            "given_name": "Hildegard",
            "family_name": "Becker",
            "birth_date": "1941-03-12",
            "postal_code": "67655",
            "language": "de",
            "care_level": "3",
        },
        "contacts": [
            {
                "relation": "daughter",
                "given_name": "Sabine",
                "family_name": "Becker",
                "email": "sabine.becker@example.org",
                "language": "de",
                "notify": True,
            },
            {
                "relation": "neighbour",
                "given_name": "Klaus",
                "family_name": "Nachbar",
                "phone": "0631 123456",
                "language": "de",
                "notify": False,
            },
        ],
        "needs": [
            {
                "type": "short_term_care",
                "start": day(1),
                "days": 14,
                "note": "Demenz, nachts unruhig",
            },
            {"type": "volunteer_visit", "start": day(1), "days": 14},
        ],
        "consent": {
            "data_processing": True,
            "notify_contacts": True,
            "share_with_volunteers": True,
        },
    }
    body.update(changes)
    return body


async def rows(app: FastAPI, sql: str, **params: Any) -> list[Any]:
    return await cq_testing.rows(app.state.context.database, sql, **params)


async def counts(app: FastAPI) -> dict[str, int]:
    return {table: (await rows(app, f"SELECT count(*) FROM {table}"))[0][0] for table in TABLES}
