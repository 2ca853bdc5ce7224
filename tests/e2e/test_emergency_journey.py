"""Journey 1, Kaiserslautern: a daughter goes to hospital tomorrow; her mother (Pflegegrad 3)
needs short-term care in the guest apartment and a daily volunteer visit."""

from datetime import date, timedelta
from typing import Any

import httpx

from cq_devstack.platform import Platform
from cq_testing import emergency_request, eventually, get_json

SITE = "kaiserslautern"


async def test_emergency_case_gets_the_guest_apartment_a_volunteer_and_mails(
    platform: Platform,
) -> None:
    coordinator = platform.auth("coordinator", SITE)
    tomorrow = date.today() + timedelta(days=1)
    async with httpx.AsyncClient(timeout=10) as client:
        created = await client.post(
            platform.url("intake", "/v1/requests"),
            json=emergency_request(SITE, tomorrow),
            headers=coordinator,
        )
        assert created.status_code == 201, created.text
        case_id = created.json()["case_id"]

        async def apartment_booked() -> list[dict[str, Any]]:
            bookings = await get_json(
                client, platform.url("scheduling", f"/v1/bookings?case_id={case_id}"), coordinator
            )
            return [b for b in bookings if b["resource_type"] == "guest_apartment"]

        [booking] = await eventually(apartment_booked, "the guest apartment booking")
        assert booking["status"] == "confirmed"
        assert booking["start"][:10] == tomorrow.isoformat()
        assert booking["end"][:10] == (tomorrow + timedelta(days=14)).isoformat()

        async def proposal() -> list[dict[str, Any]]:
            return await get_json(
                client, platform.url("volunteering", f"/v1/matches?case_id={case_id}"), coordinator
            )

        [match] = await eventually(proposal, "a volunteer proposal")
        assert match["status"] == "proposed"
        assert match["score"] > 0
        assert match["reasons"], "a proposal explains its score"
        volunteer = await get_json(
            client,
            platform.url("volunteering", f"/v1/volunteers/{match['volunteer_id']}"),
            coordinator,
        )
        assert volunteer["site"] == SITE
        assert date.fromisoformat(volunteer["certificate_of_conduct_expires_on"]) >= tomorrow

        daughter_mails = await eventually(
            lambda: _async(platform.mails_to("sabine.becker@example.org")), "a mail to the daughter"
        )
        assert all(m["Content-Language"] == "de" for m in daughter_mails)
        volunteer_mails = await eventually(
            lambda: _async(platform.mails_to(volunteer["email"])), "a mail to the volunteer"
        )
        assert volunteer_mails

        accepted = await client.post(
            platform.url("volunteering", f"/v1/matches/{match['match_id']}/accept"),
            headers=coordinator,
        )
        assert accepted.status_code == 200, accepted.text

        async def case_arranged() -> dict[str, Any] | None:
            case = await get_json(
                client, platform.url("intake", f"/v1/cases/{case_id}"), coordinator
            )
            states = {need["type"]: need["state"] for need in case["needs"]}
            wanted = {"short_term_care": "booked", "volunteer_visit": "volunteer_confirmed"}
            return case if states == wanted else None

        case = await eventually(case_arranged, "the case to show the booking and the volunteer")
        assert case["status"] == "arranged"

        # Deliveries are recorded per recipient and template, in the recipient's language.
        deliveries = await get_json(
            client, platform.url("notifications", f"/v1/deliveries?case_id={case_id}"), coordinator
        )
        roles = {(d["recipient_role"], d["language"]) for d in deliveries}
        assert ("relative", "de") in roles
        assert ("volunteer", volunteer["languages"][0]) in roles or any(
            d["recipient_role"] == "volunteer" for d in deliveries
        )


async def test_a_second_emergency_for_the_same_days_waits_for_the_guest_apartment(
    platform: Platform,
) -> None:
    """Kaiserslautern waitlists its one guest apartment (offer policy, scheduling's site data):
    the second family is first in line, told so, and nothing is booked for it."""
    coordinator = platform.auth("coordinator", SITE)
    start = date.today() + timedelta(days=40)
    async with httpx.AsyncClient(timeout=10) as client:
        first = await client.post(
            platform.url("intake", "/v1/requests"),
            json=emergency_request(SITE, start, daughter_email="first.family@example.org"),
            headers=coordinator,
        )
        second = await client.post(
            platform.url("intake", "/v1/requests"),
            json=emergency_request(
                SITE, start + timedelta(days=3), daughter_email="second.family@example.org"
            ),
            headers=coordinator,
        )
        assert first.status_code == second.status_code == 201
        second_id = second.json()["case_id"]

        async def shows_waiting() -> dict[str, Any] | None:
            case = await get_json(
                client, platform.url("intake", f"/v1/cases/{second_id}"), coordinator
            )
            [need] = [n for n in case["needs"] if n["type"] == "short_term_care"]
            return need if need["state"] == "waitlisted" else None

        need = await eventually(shows_waiting, "the second case to wait for the apartment")
        assert need["details"]["position"] == 1
        bookings = await get_json(
            client, platform.url("scheduling", f"/v1/bookings?case_id={second_id}"), coordinator
        )
        assert [b for b in bookings if b["resource_type"] == "guest_apartment"] == []

        def waiting_mails() -> list[Any]:
            mails = platform.mails_to("second.family@example.org")
            return [m for m in mails if "Warteliste" in str(m["Subject"])]

        [told] = await eventually(
            lambda: _async(waiting_mails()), "the second family told it is on the waiting list"
        )
        assert told["Content-Language"] == "de"
        assert "Ihr Platz auf der Warteliste: 1" in told.get_content()


async def test_a_coordinator_of_another_site_cannot_read_the_case(platform: Platform) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        created = await client.post(
            platform.url("intake", "/v1/requests"),
            json=emergency_request(
                SITE, date.today() + timedelta(days=90), daughter_email="third.family@example.org"
            ),
            headers=platform.auth("coordinator", SITE),
        )
        case_id = created.json()["case_id"]
        other = await client.get(
            platform.url("intake", f"/v1/cases/{case_id}"),
            headers=platform.auth("coordinator", "zwenkau"),
        )
        assert other.status_code == 403
        assert other.headers["content-type"].startswith("application/problem+json")


async def _async(value: Any) -> Any:
    return value
