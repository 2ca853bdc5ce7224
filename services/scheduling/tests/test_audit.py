"""Issue 11's audit trail in scheduling: making, listing and cancelling a case's booking
leave records the site's data protection officer reads at GET /v1/audit (decision 0013)."""

import uuid
from datetime import datetime, timedelta

from cq_testing.audit import audit_trail, summary

from .support import KL, NOW, a_week_in_the_guest_apartment

COORDINATOR = "dev-coordinator-kaiserslautern"


async def test_a_cases_bookings_are_audited_for_the_sites_dpo_only(serve, bearer, demo_app) -> None:
    coordinator = bearer("coordinator", KL)
    dpo = bearer("data_protection_officer", KL)
    async with serve(demo_app) as client:
        good = await a_week_in_the_guest_apartment(client, coordinator)
        case_id = uuid.uuid4()
        made = await client.post(
            "/v1/bookings", json={**good, "case_id": str(case_id)}, headers=coordinator
        )
        assert made.status_code == 201, made.text
        # A booking of no case is not health data: it leaves no record.
        later = datetime.fromisoformat(good["end"]) + timedelta(days=1)
        room = {**good, "start": good["end"], "end": later.isoformat()}
        room_booked = await client.post("/v1/bookings", json=room, headers=coordinator)
        assert room_booked.status_code == 201, room_booked.text
        listed = await client.get(f"/v1/bookings?case_id={case_id}", headers=coordinator)
        assert [b["case_id"] for b in listed.json()] == [str(case_id)]
        booking_id = made.json()["booking_id"]
        cancelled = await client.post(f"/v1/bookings/{booking_id}/cancel", headers=coordinator)
        assert cancelled.status_code == 200, cancelled.text

        trail = await audit_trail(client, dpo, case_id=str(case_id))
        assert summary(trail) == [
            (COORDINATOR, action, "booking", KL, "care_planning")
            for action in ("update", "list", "create")
        ]
        assert {(r["case_id"], tuple(r["roles"])) for r in trail} == {
            (str(case_id), ("coordinator",))
        }
        assert {r["occurred_at"] for r in trail} == {NOW.isoformat().replace("+00:00", "Z")}
        # Nothing of the booking itself (what was booked, for when) is in the trail.
        assert made.json()["resource_name"] not in str(trail)
        assert good["start"] not in str(trail)

        everything = await audit_trail(client, dpo)
        assert sum(1 for r in everything if r["resource"] == "booking") == 3

        assert (await client.get("/v1/audit", headers=coordinator)).status_code == 403
        zwenkau = bearer("data_protection_officer", "zwenkau")
        assert await audit_trail(client, zwenkau, case_id=str(case_id)) == []
        assert (await client.get(f"/v1/audit?site={KL}", headers=zwenkau)).status_code == 403
