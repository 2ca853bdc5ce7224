"""Journey 2, Münster: two seniors ask for a place in a fall-prevention course through intake.
The first gets the last place, the second waits; when the first cancels, the second moves up.
Each is told by mail in German (the second through her daughter, by consent), and intake's
case views follow every step."""

import uuid
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from cq_devstack.platform import Platform
from cq_testing import eventually, get_json, intake_request

SITE = "muenster"
ZONE = ZoneInfo("Europe/Berlin")  # Münster's, as the site catalogue says
DEMO_COURSE = "Sturzprävention"


def next_tuesday_at_ten() -> datetime:
    today = date.today()
    ahead = (1 - today.weekday() - 1) % 7 + 1  # the next Tuesday after today
    return datetime.combine(today + timedelta(days=ahead), time(10), ZONE)


def request(course_id: str, *, client: dict[str, Any], contacts: list[dict[str, Any]]) -> Any:
    person = {
        "birth_date": "1942-09-30",
        "postal_code": "48145",
        "language": "de",
        "care_level": "1",
        **client,
    }
    return intake_request(
        SITE,
        channel="walk_in",
        urgency="routine",
        client=person,
        contacts=contacts,
        needs=[{"type": "prevention_course", "course_id": course_id}],
    )


def text_of(mail: EmailMessage) -> str:
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


async def _async(value: Any) -> Any:
    return value


class Journey:
    def __init__(self, platform: Platform, client: httpx.AsyncClient) -> None:
        self.platform, self.client = platform, client
        self.coordinator = platform.auth("coordinator", SITE)

    async def open_case(self, body: Any) -> str:
        created = await self.client.post(
            self.platform.url("intake", "/v1/requests"), json=body, headers=self.coordinator
        )
        assert created.status_code == 201, created.text
        return str(created.json()["case_id"])

    async def course_need(self, case_id: str, state: str) -> dict[str, Any]:
        """The case's one need once it is in `state` (with the case's status)."""

        async def reached() -> dict[str, Any] | None:
            case = await get_json(
                self.client, self.platform.url("intake", f"/v1/cases/{case_id}"), self.coordinator
            )
            [need] = case["needs"]
            return {**need, "case_status": case["status"]} if need["state"] == state else None

        return await eventually(reached, f"the course need to be {state}")

    async def mail(self, address: str, subject: str) -> EmailMessage:
        def found() -> list[EmailMessage]:
            return [m for m in self.platform.mails_to(address) if m["Subject"] == subject]

        [mail] = await eventually(lambda: _async(found()), f"the mail {subject!r} to {address}")
        assert mail["Content-Language"] == "de"
        return mail


async def test_the_demo_course_has_one_free_place(platform: Platform) -> None:
    async with httpx.AsyncClient(timeout=10) as client:
        courses = await get_json(
            client,
            platform.url("scheduling", f"/v1/sites/{SITE}/courses"),
            platform.auth("care_staff", SITE),
        )
    [demo] = [c for c in courses if c["title"] == DEMO_COURSE]
    assert (demo["capacity"], demo["confirmed"], demo["free"]) == (8, 7, 1)


async def test_a_cancellation_promotes_the_waiting_senior_who_is_told(platform: Platform) -> None:
    tag = uuid.uuid4().hex[:8]
    title = f"Sturzprävention am Nachmittag {tag}"
    first_email = f"gertrud.hoffmann.{tag}@example.org"
    daughter_email = f"petra.schulte.{tag}@example.org"
    async with httpx.AsyncClient(timeout=10) as client:
        journey = Journey(platform, client)
        # A course of its own with one place (the session's platform is shared).
        made = await client.post(
            platform.url("scheduling", f"/v1/sites/{SITE}/courses"),
            json={
                "title": title,
                "language": "de",
                "capacity": 1,
                "rrule": "FREQ=WEEKLY;COUNT=8",
                "first_session_start": next_tuesday_at_ten().isoformat(),
                "session_minutes": 90,
                "promotion": "automatic",
            },
            headers=platform.auth("site_admin", SITE),
        )
        assert made.status_code == 201, made.text
        course_id = made.json()["course_id"]
        listed = await get_json(
            client, platform.url("scheduling", f"/v1/sites/{SITE}/courses"), journey.coordinator
        )
        assert course_id in {c["course_id"] for c in listed}

        first = await journey.open_case(
            request(
                course_id,
                client={
                    "given_name": "Gertrud",
                    "family_name": "Hoffmann",
                    "email": first_email,
                },
                contacts=[],
            )
        )
        booked = await journey.course_need(first, "booked")
        assert booked["course_id"] == course_id
        assert booked["details"]["course_title"] == title
        assert booked["case_status"] == "arranged"
        # The second asks only once the first holds the place: cases are ordered per case,
        # not across cases, and arrival order is the point here.
        second = await journey.open_case(
            request(
                course_id,
                client={"given_name": "Irmgard", "family_name": "Schulte"},
                contacts=[
                    {
                        "relation": "daughter",
                        "given_name": "Petra",
                        "family_name": "Schulte",
                        "email": daughter_email,
                        "language": "de",
                        "notify": True,
                    }
                ],
            )
        )
        waiting = await journey.course_need(second, "waitlisted")
        assert waiting["details"]["position"] == 1
        assert waiting["case_status"] == "in_progress"

        confirmed = await journey.mail(first_email, f"Ihr Kursplatz ist bestätigt: {title}")
        text = text_of(confirmed)
        assert "Guten Tag Gertrud Hoffmann" in text
        start = next_tuesday_at_ten()
        assert f"Erster Termin: Dienstag, {start.day}. " in text
        assert "10:00 Uhr" in text  # the site's wall clock, not UTC
        waitlisted = await journey.mail(daughter_email, f"Sie stehen auf der Warteliste: {title}")
        assert "Guten Tag Petra Schulte" in text_of(waitlisted)
        assert "Ihr Platz auf der Warteliste: 1" in text_of(waitlisted)

        registrations = await get_json(
            client,
            platform.url("scheduling", f"/v1/courses/{course_id}/registrations"),
            journey.coordinator,
        )
        assert [(r["case_id"], r["status"], r["position"]) for r in registrations] == [
            (first, "confirmed", None),
            (second, "waitlisted", 1),
        ]

        cancelled = await client.post(
            platform.url(
                "scheduling", f"/v1/registrations/{booked['details']['registration_id']}/cancel"
            ),
            headers=journey.coordinator,
        )
        assert cancelled.status_code == 200, cancelled.text
        assert cancelled.json()["status"] == "cancelled"

        promoted = await journey.course_need(second, "booked")
        assert promoted["case_status"] == "arranged"
        assert "position" not in promoted["details"]
        await journey.course_need(first, "cancelled")
        moved_up = await journey.mail(
            daughter_email, f"Sie sind nachgerückt, Ihr Kursplatz ist bestätigt: {title}"
        )
        assert "von der Warteliste nachgerückt" in text_of(moved_up)
        told = await journey.mail(first_email, f"Ihre Kursanmeldung ist storniert: {title}")
        assert title in text_of(told)

        deliveries = await get_json(
            client,
            platform.url("notifications", f"/v1/deliveries?case_id={second}"),
            journey.coordinator,
        )
        templates = {d["template"] for d in deliveries}
        assert {"course_waitlisted", "course_promoted"} <= templates


async def test_a_cancelled_booking_reaches_the_case_and_the_person(platform: Platform) -> None:
    """Every cancellation reaches everyone (issue 9): a plain booking's too."""
    tag = uuid.uuid4().hex[:8]
    email = f"walter.krause.{tag}@example.org"
    async with httpx.AsyncClient(timeout=10) as client:
        journey = Journey(platform, client)
        body = request(
            "unused",
            client={"given_name": "Walter", "family_name": "Krause", "email": email},
            contacts=[],
        )
        body["needs"] = [{"type": "counselling"}]
        case_id = await journey.open_case(body)
        booked = await journey.course_need(case_id, "booked")
        cancelled = await client.post(
            platform.url("scheduling", f"/v1/bookings/{booked['details']['booking_id']}/cancel"),
            headers=journey.coordinator,
        )
        assert cancelled.status_code == 200, cancelled.text

        need = await journey.course_need(case_id, "cancelled")
        assert need["details"]["reason"] == "cancelled"
        told = await journey.mail(email, "Ihre Buchung ist storniert: Beratungstermin")
        assert "Wann: " in text_of(told)
