"""Builders of the course tests: a Münster course on Tuesdays at 10:00, its registrations."""

import uuid
from typing import Any

import httpx

from cq_shared.db.database import Database
from cq_testing import outbox_of

MS = "muenster"
# Tuesdays from 12 March 2030 (the tests' clock: Monday 4 March), ten sessions.
WEEKLY = "FREQ=WEEKLY;BYDAY=TU;COUNT=10"
FIRST_SESSION = "2030-03-12T10:00:00+01:00"


def course_body(capacity: int, promotion: str = "automatic", **more: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "title": "Sturzprävention",
        "language": "de",
        "capacity": capacity,
        "rrule": WEEKLY,
        "first_session_start": FIRST_SESSION,
        "session_minutes": 90,
        "promotion": promotion,
    }
    if promotion == "offer":
        body["hold_hours"] = 48
    return {**body, **more}


async def a_course(client: httpx.AsyncClient, admin: Any, capacity: int, **more: Any) -> str:
    made = await client.post(
        f"/v1/sites/{MS}/courses", json=course_body(capacity, **more), headers=admin
    )
    assert made.status_code == 201, made.text
    return str(made.json()["course_id"])


async def registered(
    client: httpx.AsyncClient, headers: Any, course_id: str, case_id: uuid.UUID | None = None
) -> dict[str, Any]:
    body = {"case_id": str(case_id or uuid.uuid4())}
    made = await client.post(f"/v1/courses/{course_id}/registrations", json=body, headers=headers)
    assert made.status_code == 201, made.text
    result: dict[str, Any] = made.json()
    return result


async def registrations(
    client: httpx.AsyncClient, headers: Any, course_id: str
) -> list[dict[str, Any]]:
    listed = await client.get(f"/v1/courses/{course_id}/registrations", headers=headers)
    assert listed.status_code == 200, listed.text
    result: list[dict[str, Any]] = listed.json()
    return result


async def told(database: Database, case_id: str) -> list[str]:
    """The short names of the course events written about a case, in order."""
    prefix = "de.drk.carequartier.scheduling.course.registration."
    written = await outbox_of(database, case_id)
    return [kind.removeprefix(prefix).removesuffix(".v1") for kind, _ in written]
