"""Journey 5, Zwenkau: a day guest asks through intake for day care every Tuesday and
Thursday for eight weeks. Two of those days are full (a coordinator booked all twelve places
by hand), so 14 of 16 days are booked and the two full days wait; the case view and a German
mail say so. The series is cancelled from its fifth week on: exactly those days are freed
(the series, the availability), and the case and the mail follow. A cancelled booking on a
full day promotes the waiting day guest, told in the case view and by mail.

The platform is shared by the session: the series lies 200 to 290 days ahead (a random
week), where no other test books."""

import random
import uuid
from datetime import date, datetime, time, timedelta
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from cq_devstack.platform import Platform
from cq_testing import eventually, get_json, intake_request

SITE = "zwenkau"
ZONE = ZoneInfo("Europe/Berlin")  # Zwenkau's, as the site catalogue says
PLACE = "day_care_place"
CAPACITY = 12  # Zwenkau's day-care places (demo data)
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August"]
MONTHS += ["September", "Oktober", "November", "Dezember"]
WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]


def a_far_tuesday() -> date:
    ahead = date.today() + timedelta(days=200 + 7 * random.randrange(13))
    return ahead + timedelta(days=(1 - ahead.weekday()) % 7)


def german(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]}, {day.day}. {MONTHS[day.month - 1]} {day.year}"


def whole_day(day: date) -> dict[str, str]:
    start = datetime.combine(day, time(0), ZONE)
    end = datetime.combine(day + timedelta(days=1), time(0), ZONE)
    return {"start": start.isoformat(), "end": end.isoformat()}


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

    def url(self, service: str, path: str) -> str:
        return self.platform.url(service, path)

    async def post(self, service: str, path: str, body: Any = None) -> dict[str, Any]:
        answer = await self.client.post(
            self.url(service, path), json=body, headers=self.coordinator
        )
        assert answer.status_code in (200, 201), answer.text
        return dict(answer.json())

    async def get(self, service: str, path: str) -> Any:
        return await get_json(self.client, self.url(service, path), self.coordinator)

    async def fill(self, day: date) -> list[str]:
        """Every day-care place of `day` booked by hand: the ids of the bookings."""
        places = await self.get("scheduling", f"/v1/sites/{SITE}/resources?type={PLACE}")
        assert len(places) == CAPACITY
        made = [
            await self.post(
                "scheduling",
                "/v1/bookings",
                {"site": SITE, "resource_id": place["resource_id"], **whole_day(day)},
            )
            for place in places
        ]
        return [str(booking["booking_id"]) for booking in made]

    async def need_once(self, case_id: str, **details: Any) -> dict[str, Any]:
        """The case's one need once its details show `details` (with the case's status)."""

        async def reached() -> dict[str, Any] | None:
            case = await self.get("intake", f"/v1/cases/{case_id}")
            [need] = case["needs"]
            shown = need["details"]
            if all(shown.get(key) == value for key, value in details.items()):
                return {**need, "case_status": case["status"]}
            return None

        return await eventually(reached, f"the series to show {details}")

    async def free(self, first: date, last: date) -> dict[date, int]:
        path = f"/v1/sites/{SITE}/availability?type={PLACE}&from={first}&to={last}"
        figures = await self.get("scheduling", path)
        return {date.fromisoformat(day["date"]): day["free"] for day in figures["items"]}

    async def mail(self, address: str, subject: str) -> EmailMessage:
        def found() -> list[EmailMessage]:
            return [m for m in self.platform.mails_to(address) if m["Subject"] == subject]

        [mail] = await eventually(lambda: _async(found()), f"the mail {subject!r} to {address}")
        assert mail["Content-Language"] == "de"
        return mail


async def test_a_day_guest_series_waits_is_cancelled_from_a_date_and_moves_up(
    platform: Platform,
) -> None:
    tag = uuid.uuid4().hex[:8]
    daughter_email = f"kerstin.lehmann.{tag}@example.org"
    start = a_far_tuesday()
    until = start + timedelta(weeks=8) - timedelta(days=1)
    days = [start + timedelta(weeks=w, days=d) for w in range(8) for d in (0, 2)]
    full = [days[1], days[4]]  # the first Thursday and the third Tuesday
    cancel_from = days[8]  # the fifth Tuesday: the last four weeks go
    async with httpx.AsyncClient(timeout=10) as client:
        journey = Journey(platform, client)
        fillers = {day: await journey.fill(day) for day in full}
        assert await journey.free(full[0], full[0]) == {full[0]: 0}

        # The day guest's mother is written to through her daughter, by consent.
        body = intake_request(
            SITE,
            channel="phone",
            urgency="routine",
            client={
                "given_name": "Hannelore",
                "family_name": "Lehmann",
                "birth_date": "1939-02-11",
                "postal_code": "04442",
                "language": "de",
                "care_level": "2",
            },
            contacts=[
                {
                    "relation": "daughter",
                    "given_name": "Kerstin",
                    "family_name": "Lehmann",
                    "email": daughter_email,
                    "language": "de",
                    "notify": True,
                }
            ],
            needs=[
                {
                    "type": "day_care",
                    "start": start.isoformat(),
                    "until": until.isoformat(),
                    "weekdays": ["tue", "thu"],
                }
            ],
        )
        case_id = str((await journey.post("intake", "/v1/requests", body))["case_id"])

        # Booked 14 of 16: the full days wait, the case is not arranged while they do.
        need = await journey.need_once(case_id, days_total=16, days_booked=14)
        assert need["state"] == "waitlisted"
        assert need["case_status"] == "in_progress"
        assert need["details"]["next_date"] == start.isoformat()
        assert need["details"]["waitlisted_dates"] == [day.isoformat() for day in full]
        need_id = need["need_id"]
        series = await journey.get("scheduling", f"/v1/series/{need_id}")
        assert (series["total"], series["booked"]) == (16, 14)
        assert [o["date"] for o in series["occurrences"]] == [d.isoformat() for d in days]
        waiting = {o["date"]: o["position"] for o in series["occurrences"] if o["position"]}
        assert waiting == {day.isoformat(): 1 for day in full}

        booked = await journey.mail(daughter_email, "Ihre Tagespflege ist gebucht: 14 von 16 Tagen")
        text = text_of(booked)
        assert "Guten Tag Kerstin Lehmann" in text
        assert f"Ihr erster Tag: {german(start)}" in text
        assert f"bis ein Platz frei wird: {german(full[0])}; {german(full[1])}" in text

        # Cancelled from the fifth week on: exactly those eight days are freed.
        before = await journey.free(days[0], days[-1])
        cancelled = await journey.post(
            "scheduling", f"/v1/series/{need_id}/cancel", {"from": cancel_from.isoformat()}
        )
        assert (cancelled["total"], cancelled["booked"]) == (8, 6)
        states = {o["date"]: o["status"] for o in cancelled["occurrences"]}
        assert [d for d in days if states[d.isoformat()] == "cancelled"] == days[8:]
        after = await journey.free(days[0], days[-1])
        freed = {day for day in after if after[day] != before[day]}
        assert freed == set(days[8:])
        assert all(after[day] == before[day] + 1 for day in days[8:])
        need = await journey.need_once(case_id, days_total=8, days_booked=6)
        assert need["state"] == "waitlisted"
        told = await journey.mail(daughter_email, "Ihre Tagespflege ist geändert: Tage storniert")
        assert f"Storniert ab: {german(cancel_from)}" in text_of(told)
        assert "Es bleiben gebucht: 6 von 8 Tagen" in text_of(told)

        # A place on the first full day is cancelled: the waiting day guest gets it at once.
        first_filler = fillers[full[0]][0]
        await journey.post("scheduling", f"/v1/bookings/{first_filler}/cancel")
        need = await journey.need_once(case_id, days_booked=7)
        assert need["details"]["waitlisted_dates"] == [full[1].isoformat()]
        assert need["state"] == "waitlisted"  # the other full day still waits
        assert await journey.free(full[0], full[0]) == {full[0]: 0}
        moved_up = await journey.mail(daughter_email, "Ein weiterer Tag ist gebucht: 7 von 8 Tagen")
        assert f"bis ein Platz frei wird: {german(full[1])}" in text_of(moved_up)

        # ... and on the second: every day left is booked, the case is arranged.
        await journey.post("scheduling", f"/v1/bookings/{fillers[full[1]][0]}/cancel")
        need = await journey.need_once(case_id, days_booked=8, waitlisted_dates=[])
        assert (need["state"], need["case_status"]) == ("booked", "arranged")
        await journey.mail(daughter_email, "Ein weiterer Tag ist gebucht: 8 von 8 Tagen")

        # One mail per change of the series, none per day.
        deliveries = await journey.get("notifications", f"/v1/deliveries?case_id={case_id}")
        templates = sorted(d["template"] for d in deliveries)
        once_each = ["case_opened", "series_booked", "series_cancelled"]
        assert templates == sorted([*once_each, "series_promoted", "series_promoted"])
