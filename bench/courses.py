"""Journey 2's figures (issue 9), on the running platform:

- cancellation → the promoted person's message sent: per course of one place, one person
  holds it and one waits (both through intake, so notifications knows whom to write to);
  cancellations at a fixed rate, each timed from the cancel request's start to the
  promotion mail's `sent_at`. One course per sample, so every cancellation promotes exactly
  one known person. Reference in the same run: a raw Kafka round trip (p99), the floor of
  the one hop (scheduling → notifications) the promotion makes before its mail.
- registrations at saturation: staff registrations (`POST /v1/courses/{id}/registrations`)
  with 16 in flight, all for ONE course, the contended case: a course's registrations are
  serial under its pool's row lock (decision 0018). Ratio against the bare FastAPI insert at
  saturation from the same run (runner.with_ratio).
"""

import asyncio
import time as clock
import uuid
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bench.figures import Section, latency_summary
from bench.load import at_fixed_rate, saturate
from cq_devstack.platform import Platform
from cq_testing import intake_request

SITE = "muenster"
ZONE = ZoneInfo("Europe/Berlin")
PROMOTION = "course cancellation to promotion mail"
REGISTRATIONS = "course registrations at saturation"
_ENTRIES = text(
    "SELECT pool_id::text, id::text, case_id::text, status FROM waitlist_entries "
    "WHERE pool_id = ANY(CAST(:pools AS uuid[]))"
)
_PROMOTION_SENT = text(
    "SELECT case_id::text, min(sent_at) FROM deliveries WHERE template = 'course_promoted' "
    "AND status = 'sent' AND case_id = ANY(CAST(:cases AS uuid[])) GROUP BY case_id"
)


def _course(title: str, capacity: int) -> dict[str, Any]:
    today = date.today()
    tuesday = today + timedelta(days=(1 - today.weekday() - 1) % 7 + 1)
    return {
        "title": title,
        "language": "de",
        "capacity": capacity,
        "rrule": "FREQ=WEEKLY;COUNT=4",
        "first_session_start": datetime.combine(tuesday, time(10), ZONE).isoformat(),
        "session_minutes": 90,
        "promotion": "automatic",
    }


async def _create_course(platform: Platform, client: httpx.AsyncClient, title: str, n: int) -> str:
    made = await client.post(
        platform.url("scheduling", f"/v1/sites/{SITE}/courses"),
        json=_course(title, n),
        headers=platform.auth("site_admin", SITE),
    )
    made.raise_for_status()
    return str(made.json()["course_id"])


def _request(course_id: str, email: str, family_name: str) -> dict[str, Any]:
    return intake_request(
        SITE,
        channel="walk_in",
        urgency="routine",
        client={
            "given_name": "Gertrud",
            "family_name": family_name,
            "birth_date": "1942-09-30",
            "postal_code": "48145",
            "language": "de",
            "care_level": "1",
            "email": email,
        },
        needs=[{"type": "prevention_course", "course_id": course_id}],
    )


async def _poll(
    database_url: str, query: Any, params: dict[str, Any], done: Any, timeout: float
) -> Any:
    """Run `query` every half second until `done(rows)` or the timeout; the last rows."""
    engine = create_async_engine(database_url, pool_size=1)
    deadline = clock.monotonic() + timeout
    try:
        while True:
            async with engine.connect() as connection:
                found = (await connection.execute(query, params)).all()
            if done(found) or clock.monotonic() > deadline:
                return found
            await asyncio.sleep(0.5)
    finally:
        await engine.dispose()


async def promotion_section(platform: Platform, *, count: int, rate_per_s: float) -> Section:
    tag = uuid.uuid4().hex[:6]
    coordinator = platform.auth("coordinator", SITE)
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=32)) as client:
        courses = [
            await _create_course(platform, client, f"Bench-Kurs {tag} {i}", 1) for i in range(count)
        ]

        async def ask(index: int) -> None:
            course_id = courses[index // 2]
            email = f"course-{tag}-{index}@example.org"
            response = await client.post(
                platform.url("intake", "/v1/requests"),
                json=_request(course_id, email, f"Kursbank-{index}"),
                headers=coordinator,
            )
            response.raise_for_status()

        await saturate(ask, concurrency=8, count=2 * count)
        # Each course: one confirmed, one waiting (which of the two does not matter).
        entries = await _poll(
            platform.databases["scheduling"],
            _ENTRIES,
            {"pools": courses},
            lambda rows: len(rows) == 2 * count,
            timeout=120,
        )
        holder: dict[str, str] = {}  # course -> the confirmed registration
        waiting: dict[str, str] = {}  # course -> the waiting case
        for pool, entry, case, status in entries:
            if status == "confirmed":
                holder[pool] = entry
            else:
                waiting[pool] = case
        ready = [c for c in courses if c in holder and c in waiting]

        async def cancel(index: int) -> str:
            course = ready[index]
            response = await client.post(
                platform.url("scheduling", f"/v1/registrations/{holder[course]}/cancel"),
                headers=coordinator,
            )
            response.raise_for_status()
            return waiting[course]

        cancelled = await at_fixed_rate(cancel, rate_per_s, len(ready))
    promoted = {case: at for at, case in cancelled}
    sent = await _poll(
        platform.databases["notifications"],
        _PROMOTION_SENT,
        {"cases": list(promoted)},
        lambda rows: len(rows) == len(promoted),
        timeout=120,
    )
    latencies = [sent_at.timestamp() - promoted[case] for case, sent_at in sent]
    section = Section(
        PROMOTION,
        {
            "offered_per_s": rate_per_s,
            "cancellations": len(promoted),
            "mails_sent": len(latencies),
            **latency_summary(latencies),
        },
    )
    section.samples["cancel_to_promotion_mail_ms"] = [s * 1000 for s in latencies]
    return section


async def registrations_section(platform: Platform, *, count: int) -> Section:
    """Staff registrations for one course, 16 in flight; most wait (the course holds a tenth)."""
    coordinator = platform.auth("coordinator", SITE)
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=32)) as client:
        course_id = await _create_course(
            platform, client, f"Bench-Kurs {uuid.uuid4().hex[:6]}", max(1, count // 10)
        )
        url = platform.url("scheduling", f"/v1/courses/{course_id}/registrations")

        async def register(index: int) -> None:
            response = await client.post(
                url, json={"case_id": str(uuid.uuid4())}, headers=coordinator
            )
            response.raise_for_status()

        elapsed, results = await saturate(register, concurrency=16, count=count)
    return Section(
        REGISTRATIONS,
        {"registrations": len(results), "events_per_s": round(len(results) / elapsed, 1)},
    )


def with_transport_floor(section: Section, kafka_round_trip_p99_ms: float) -> Section:
    """The promotion makes one Kafka hop before its mail: p99 against the raw round trip's."""
    section.figures["reference_kafka_round_trip_p99_ms"] = kafka_round_trip_p99_ms
    floor = kafka_round_trip_p99_ms
    section.figures["ratio_p99"] = round(section.figures["p99_ms"] / floor, 2) if floor else 0.0
    return section
