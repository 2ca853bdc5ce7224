"""Journey 4, Kaiserslautern: a nurse of the ambulant care station falls ill. A coordinator
reports the illness for the days of two of her shifts; both shifts become gaps, offered at
once to colleagues who may take them (qualification, rest time, daily maximum, days in a
row). The person offered the first gap declines with her own token and the gap moves on to
the next colleague, who is written to; the person offered the second accepts and the shift
is theirs. Each offered person gets a mail in their language, the unit lead one at each step.

The demo plan (scheduling's demo_data.toml, [[staffing]]) covers the two weeks from the
platform's start-up day. No other test touches staffing; the absent nurse is drawn at random
among those not yet absent, so a reused platform gets a different one."""

import random
import uuid
from collections import defaultdict
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import httpx

from cq_devstack.platform import Platform
from cq_testing import eventually, get_json

SITE = "kaiserslautern"
ZONE = ZoneInfo("Europe/Berlin")  # Kaiserslautern's, as the site catalogue says
# Scheduling's demo staff ids: uuid5 of this namespace and "<site>/<key>" (staffing/seed.py).
DEMO_IDS = uuid.UUID("6a1c8d0e-5b7f-4f3a-9e21-0c4d2b8f7a13")
# Every demo member's key; their address is the key with a dot, at example.org.
MEMBERS = [
    "petra-klein", "andrea-wolf", "tobias-schmitt", "elif-yildiz", "jana-koch",
    "olga-petrenko", "lukas-braun", "stefanie-hoffmann", "michael-weber", "nadine-schulz",
    "piotr-nowak", "sarah-meyer", "daniel-fischer", "ruth-bauer", "ahmad-karimi",
    "claudia-roth", "mehmet-arslan",
]  # fmt: skip
TURKISH = {"elif-yildiz", "mehmet-arslan"}  # the others read German (or get it as fallback)
LEAD = "petra-klein"  # leads the ambulant station
NAMES = {"elif-yildiz": "Elif Yıldız"}  # where the key is not the name
MONTHS = ["Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August"]
MONTHS += ["September", "Oktober", "November", "Dezember"]
WEEKDAYS = ["Montag", "Dienstag", "Mittwoch", "Donnerstag", "Freitag", "Samstag", "Sonntag"]


def staff_id(key: str) -> uuid.UUID:
    return uuid.uuid5(DEMO_IDS, f"{SITE}/{key}")


KEYS = {staff_id(key): key for key in MEMBERS}


def email(person: uuid.UUID) -> str:
    return f"{KEYS[person].replace('-', '.')}@example.org"


def local_day(instant: str) -> date:
    return datetime.fromisoformat(instant).astimezone(ZONE).date()


def german(day: date) -> str:
    return f"{WEEKDAYS[day.weekday()]}, {day.day}. {MONTHS[day.month - 1]} {day.year}"


def text_of(mail: EmailMessage) -> str:
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None
    return str(body.get_content())


class Journey:
    def __init__(self, platform: Platform, client: httpx.AsyncClient) -> None:
        self.platform, self.client = platform, client
        self.coordinator = platform.auth("coordinator", SITE)

    def url(self, path: str) -> str:
        return self.platform.url("scheduling", path)

    async def shifts(self, first: date, last: date, **query: str) -> list[dict[str, Any]]:
        params = "".join(f"&{key}={value}" for key, value in query.items())
        path = f"/v1/sites/{SITE}/shifts?from={first}&to={last}{params}"
        return list(await get_json(self.client, self.url(path), self.coordinator))

    async def gap(self, gap_id: str) -> dict[str, Any]:
        gaps = await get_json(
            self.client, self.url(f"/v1/sites/{SITE}/shift-gaps"), self.coordinator
        )
        return next(gap for gap in gaps if gap["gap_id"] == gap_id)

    async def report_illness(self) -> tuple[uuid.UUID, dict[str, Any]]:
        """An ambulant nurse (not the lead) who is not absent yet, ill from the day of one
        of her early shifts to the day of her next: at least two gaps."""
        today = datetime.now(ZONE).date()
        first, last = today + timedelta(days=2), today + timedelta(days=11)
        planned = await self.shifts(first, last, unit="ambulant")
        mine: dict[uuid.UUID, list[date]] = defaultdict(list)
        for shift in planned:
            if shift["staff_id"] and shift["required_qualification"] == "Pflegefachkraft":
                mine[uuid.UUID(shift["staff_id"])].append(local_day(shift["start"]))
        nurses = [person for person, days in mine.items() if len(days) >= 2]
        nurses = [person for person in nurses if person != staff_id(LEAD)]
        random.shuffle(nurses)
        for nurse in nurses:
            days = sorted(set(mine[nurse]))
            start = random.randrange(len(days) - 1)
            illness = {"from": str(days[start]), "to": str(days[start + 1]), "reason": "illness"}
            answer = await self.client.post(
                self.url(f"/v1/staff/{nurse}/absences"), json=illness, headers=self.coordinator
            )
            if answer.status_code == 409:  # already absent (a platform reused): the next
                continue
            assert answer.status_code == 201, answer.text
            return nurse, dict(answer.json())
        raise AssertionError("no ambulant nurse with two shifts is left to fall ill")

    async def answer(self, gap: dict[str, Any], verb: str) -> dict[str, Any]:
        """The offered person answers with their own token (care_staff, their staff id)."""
        person = uuid.UUID(gap["offered_to"])
        headers = self.platform.auth("care_staff", SITE, staff_id=person)
        answer = await self.client.post(
            self.url(f"/v1/shift-offers/{gap['offer_id']}/{verb}"), headers=headers
        )
        assert answer.status_code == 200, answer.text
        return dict(answer.json())

    async def offer_mail(self, gap: dict[str, Any]) -> EmailMessage:
        """The offer's mail to the person it went to, found by the offer's id."""
        to = email(uuid.UUID(gap["offered_to"]))

        async def arrived() -> list[EmailMessage]:
            return [m for m in self.platform.mails_to(to) if gap["offer_id"] in text_of(m)]

        found = await eventually(arrived, f"the offer's mail to {to}")
        assert len(found) == 1
        return found[0]


async def test_an_illness_is_covered_and_everyone_concerned_told(platform: Platform) -> None:
    async with httpx.AsyncClient(timeout=30) as client:
        journey = Journey(platform, client)
        nurse, absence = await journey.report_illness()
        gaps = absence["gaps"]
        assert len(gaps) >= 2
        assert all(gap["status"] == "offered" for gap in gaps), gaps
        assert all(gap["absent_staff_id"] == str(nurse) for gap in gaps)
        # Nobody is offered two gaps of one absence that together would break a rule; here
        # each gap of the illness goes to someone, with the reasons in words.
        assert all(gap["reasons"] for gap in gaps)
        first, second = gaps[0], gaps[1]

        # Every offered person is written to, in their language.
        for gap in gaps:
            mail = await journey.offer_mail(gap)
            day = local_day(gap["start"])
            if KEYS[uuid.UUID(gap["offered_to"])] in TURKISH:
                assert mail["Content-Language"] == "tr"
                assert mail["Subject"].startswith("Vardiya teklifi: Evde bakım hizmeti")
            else:
                assert mail["Content-Language"] == "de"
                assert mail["Subject"] == f"Schichtangebot: Ambulanter Pflegedienst, {german(day)}"
                assert "Bitte sagen Sie bis dahin zu oder ab" in text_of(mail)
            assert "illness" not in text_of(mail)
            assert "krank" not in text_of(mail).lower()

        # The first offer is declined by its person: the gap moves on to someone else.
        declined_by = first["offered_to"]
        assert (await journey.answer(first, "decline"))["status"] == "declined"

        async def moved_on() -> dict[str, Any] | None:
            now = await journey.gap(first["gap_id"])
            moved = now["offered_to"] not in (None, declined_by) or now["status"] == "unfilled"
            return now if moved else None

        next_offer = await eventually(moved_on, "the declined gap's next offer")
        assert next_offer is not None
        assert next_offer["status"] == "offered", next_offer
        await journey.offer_mail(next_offer)

        # The second offer is accepted: the gap is filled and the shift is the taker's.
        taker = second["offered_to"]
        assert (await journey.answer(second, "accept"))["status"] == "accepted"
        filled = await journey.gap(second["gap_id"])
        assert filled["status"] == "filled"
        assert filled["offered_to"] == taker
        day = local_day(second["start"])
        shifts = await journey.shifts(day, day, unit="ambulant")
        shift = next(s for s in shifts if s["shift_id"] == second["shift_id"])
        assert shift["staff_id"] == taker
        assert shift["status"] == "assigned"

        # The unit lead heard of each gap, and of the one filled, with the colleagues' names.
        lead = email(staff_id(LEAD))
        absent_name = NAMES.get(KEYS[nurse], KEYS[nurse].replace("-", " ").title())

        async def lead_told() -> list[str] | None:
            bodies = [text_of(m) for m in platform.mails_to(lead)]
            opened = [b for b in bodies if f"{absent_name} fällt aus" in b]
            closed = [b for b in bodies if f"die Schicht für {absent_name}" in b]
            took_it_herself = taker == str(staff_id(LEAD))
            return bodies if len(opened) >= len(gaps) and (closed or took_it_herself) else None

        await eventually(lead_told, "the unit lead's mails")
        # The absent nurse is not written to about her shifts.
        assert not [m for m in platform.mails_to(email(nurse)) if "Dienstplan" in m["Subject"]]
