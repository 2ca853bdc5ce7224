"""Journey 3, Köln-Chorweiler: a Turkish-speaking man with diabetes walks in. He needs a doctor
referral, a medication plan, a counselling appointment with Turkish-speaking staff and a
Turkish-speaking volunteer to accompany him; he is written to in Turkish."""

from datetime import date, timedelta
from typing import Any

import httpx

from cq_devstack.platform import Platform
from cq_testing import eventually, get_json, intake_request, records_for_key

SITE = "koeln-chorweiler"


def walk_in(email: str) -> dict[str, Any]:
    start = (date.today() + timedelta(days=2)).isoformat()
    return intake_request(
        SITE,
        channel="walk_in",
        urgency="routine",
        client={
            "given_name": "Mustafa",
            "family_name": "Yıldız",
            "birth_date": "1958-07-01",
            "postal_code": "50765",
            "language": "tr",
            "care_level": "none",
            "email": email,
        },
        needs=[
            {"type": "doctor_referral", "note": "Diabetes Typ 2, sucht Hausarzt"},
            {"type": "medication_plan"},
            {"type": "counselling"},
            {"type": "accompaniment", "start": start, "days": 1},
        ],
        notify_contacts=False,
    )


async def _async(value: Any) -> Any:
    return value


async def test_turkish_counselling_volunteer_and_messages(platform: Platform) -> None:
    coordinator = platform.auth("coordinator", SITE)
    email = "mustafa.yildiz@example.org"
    async with httpx.AsyncClient(timeout=10) as client:
        created = await client.post(
            platform.url("intake", "/v1/requests"), json=walk_in(email), headers=coordinator
        )
        assert created.status_code == 201, created.text
        case_id = created.json()["case_id"]

        async def counselling() -> list[dict[str, Any]]:
            bookings = await get_json(
                client, platform.url("scheduling", f"/v1/bookings?case_id={case_id}"), coordinator
            )
            return [b for b in bookings if b["resource_type"] == "counselling"]

        [booking] = await eventually(counselling, "a counselling appointment")
        staff = await get_json(
            client, platform.url("scheduling", f"/v1/sites/{SITE}/staff"), coordinator
        )
        turkish_speakers = {s["name"] for s in staff if "tr" in s["languages"]}
        assert booking["staff_name"] in turkish_speakers

        async def proposal() -> list[dict[str, Any]]:
            return await get_json(
                client, platform.url("volunteering", f"/v1/matches?case_id={case_id}"), coordinator
            )

        [match] = await eventually(proposal, "a volunteer for the accompaniment")
        volunteer = await get_json(
            client,
            platform.url("volunteering", f"/v1/volunteers/{match['volunteer_id']}"),
            coordinator,
        )
        assert "tr" in volunteer["languages"]

        mails = await eventually(lambda: _async(platform.mails_to(email)), "mails to the client")
        assert {m["Content-Language"] for m in mails} == {"tr"}

        case = await get_json(client, platform.url("intake", f"/v1/cases/{case_id}"), coordinator)
        by_type = {need["type"]: need for need in case["needs"]}
        assert set(by_type) == {
            "doctor_referral",
            "medication_plan",
            "counselling",
            "accompaniment",
        }

        # The need's note (it names a diagnosis) stays in intake: no event carries it.
        events = await records_for_key(
            platform.infrastructure.kafka.bootstrap_servers, "intake.cases", case_id
        )
        assert events, "intake published the case's events"
        assert all(b"Diabetes" not in record.value for record in events)
