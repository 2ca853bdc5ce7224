"""Following a case: scheduling's and volunteering's events move its needs and its status."""

import uuid
from datetime import UTC, datetime
from typing import Any

from aiokafka import AIOKafkaConsumer
from fastapi import FastAPI

from cq_shared.contracts import NeedType
from cq_shared.contracts.scheduling import BookingConfirmed, BookingUnavailable
from cq_shared.contracts.volunteering import (
    MatchAccepted,
    MatchDeclined,
    MatchProposed,
    MatchUnfilled,
)
from cq_shared.events.envelope import Envelope
from cq_shared.messaging.connection import client_options
from cq_shared.messaging.dlq import REASON
from cq_shared.settings import KafkaSettings
from cq_testing import Publisher, eventually

from .support import day, emergency, rows

SITE = "kaiserslautern"
START = datetime(2025, 6, 3, 10, 0, tzinfo=UTC)
END = datetime(2025, 6, 17, 10, 0, tzinfo=UTC)


class Case:
    """A case under test, read through the API as the front desk sees it."""

    def __init__(self, client: Any, headers: dict[str, str], created: Any) -> None:
        assert created.status_code == 201, created.text
        self.client, self.headers = client, headers
        self.id = uuid.UUID(created.json()["case_id"])

    async def view(self) -> dict[str, Any]:
        response = await self.client.get(f"/v1/cases/{self.id}", headers=self.headers)
        assert response.status_code == 200, response.text
        return dict(response.json())

    async def need_ids(self) -> dict[str, uuid.UUID]:
        return {n["type"]: uuid.UUID(n["need_id"]) for n in (await self.view())["needs"]}

    async def once(self, need_type: str, state: str) -> dict[str, Any]:
        """The case as soon as the need of `need_type` is in `state`."""

        async def reached() -> dict[str, Any] | None:
            case = await self.view()
            need = next(n for n in case["needs"] if n["type"] == need_type)
            return case if need["state"] == state else None

        return await eventually(reached, f"{need_type} to be {state}")


def need_of(case: dict[str, Any], need_type: str) -> dict[str, Any]:
    return next(n for n in case["needs"] if n["type"] == need_type)


async def test_bookings_and_matches_arrange_the_case(
    serve, bearer, app: FastAPI, infrastructure
) -> None:
    headers = bearer("coordinator", SITE)
    body = emergency(
        needs=[
            {"type": "short_term_care", "start": day(1), "days": 14},
            {"type": "volunteer_visit", "start": day(1), "days": 14},
            {"type": "accompaniment", "start": day(3), "days": 1},
            {"type": "doctor_referral"},
        ]
    )
    async with serve(app) as client, Publisher(infrastructure.kafka.bootstrap_servers) as kafka:
        case = Case(client, headers, await client.post("/v1/requests", json=body, headers=headers))
        need = await case.need_ids()
        ids = {"case_id": case.id, "site": SITE}

        await kafka.send(
            BookingConfirmed(
                booking_id=uuid.uuid4(),
                need_id=need["short_term_care"],
                resource_type="guest_apartment",
                resource_name="Pflegegästewohnung",
                start=START,
                end=END,
                staff_name="Schwester Petra",
                **ids,
            ),
            service="scheduling",
        )
        seen = await case.once("short_term_care", "booked")
        assert seen["status"] == "in_progress"
        details = need_of(seen, "short_term_care")["details"]
        assert details["resource_type"] == "guest_apartment"
        assert details["resource_name"] == "Pflegegästewohnung"
        assert details["staff_name"] == "Schwester Petra"
        assert (details["start"], details["end"]) == (
            "2025-06-03T10:00:00Z",
            "2025-06-17T10:00:00Z",
        )

        first = uuid.uuid4()
        proposed = await kafka.send(
            MatchProposed(
                match_id=first,
                need_id=need["volunteer_visit"],
                need_type=NeedType.VOLUNTEER_VISIT,
                volunteer_id=uuid.uuid4(),
                volunteer_given_name="Jonas",
                volunteer_email="jonas@example.org",
                volunteer_language="de",
                score=0.8,
                **ids,
            ),
            service="volunteering",
        )
        seen = await case.once("volunteer_visit", "volunteer_proposed")
        # Until they accept, the volunteer stays volunteering's: intake keeps the match id.
        assert need_of(seen, "volunteer_visit")["details"] == {"match_id": str(first)}

        await kafka.send(
            MatchDeclined(
                match_id=first, need_id=need["volunteer_visit"], volunteer_id=uuid.uuid4(), **ids
            ),
            service="volunteering",
        )
        await case.once("volunteer_visit", "requested")

        # The proposal again, as a redelivery: the inbox knows it, so the decline stands.
        # The next event of the same partition shows when the duplicate has been handled.
        await kafka.send_envelope(proposed, MatchProposed.topic)
        await kafka.send(
            MatchUnfilled(
                need_id=need["accompaniment"],
                need_type=NeedType.ACCOMPANIMENT,
                reason="no_volunteer_with_language",
                **ids,
            ),
            service="volunteering",
        )
        seen = await case.once("accompaniment", "unfilled")
        assert need_of(seen, "volunteer_visit")["state"] == "requested"
        assert need_of(seen, "accompaniment")["details"] == {"reason": "no_volunteer_with_language"}
        assert seen["status"] == "needs_attention"

        for need_type, name in (("accompaniment", "Aylin"), ("volunteer_visit", "Jonas")):
            match = uuid.uuid4()
            common = {
                "match_id": match,
                "need_id": need[need_type],
                "volunteer_id": uuid.uuid4(),
                "need_type": NeedType(need_type),
                "volunteer_given_name": name,
                **ids,
            }
            await kafka.send(
                MatchProposed(volunteer_language="de", score=0.9, **common), service="volunteering"
            )
            await kafka.send(MatchAccepted(**common), service="volunteering")
        seen = await case.once("volunteer_visit", "volunteer_confirmed")
        assert need_of(seen, "volunteer_visit")["details"]["volunteer_given_name"] == "Jonas"
        assert need_of(seen, "accompaniment")["state"] == "volunteer_confirmed"
        assert need_of(seen, "doctor_referral")["state"] == "requested"
        assert seen["status"] == "arranged"

        # Eight distinct events, eight inbox rows: the redelivered one was not applied twice.
        inbox = await rows(
            app, "SELECT count(*) FROM inbox WHERE consumer = 'intake.case-progress'"
        )
        assert inbox[0][0] == 8


async def test_no_capacity_needs_attention_and_strangers_go_to_the_dlq(
    serve, bearer, app: FastAPI, infrastructure
) -> None:
    headers = bearer("coordinator", SITE)
    bootstrap = infrastructure.kafka.bootstrap_servers
    async with serve(app) as client, Publisher(bootstrap) as kafka:
        case = Case(
            client, headers, await client.post("/v1/requests", json=emergency(), headers=headers)
        )
        need = await case.need_ids()
        unavailable = {
            "resource_type": "guest_apartment",
            "reason": "no_capacity",
            "site": SITE,
        }
        await kafka.send(
            BookingUnavailable(case_id=case.id, need_id=need["short_term_care"], **unavailable),
            service="scheduling",
        )
        seen = await case.once("short_term_care", "unavailable")
        assert seen["status"] == "needs_attention"
        assert need_of(seen, "short_term_care")["details"] == {
            "resource_type": "guest_apartment",
            "reason": "no_capacity",
        }

        strangers = [
            await kafka.send(
                BookingUnavailable(case_id=uuid.uuid4(), need_id=uuid.uuid4(), **unavailable),
                service="scheduling",
            ),
            await kafka.send(
                BookingUnavailable(case_id=case.id, need_id=uuid.uuid4(), **unavailable),
                service="scheduling",
            ),
        ]
        dead = await _dead_letters(bootstrap, BookingUnavailable.topic + ".dlq", strangers)
        assert dead == {envelope.id: "permanent" for envelope in strangers}


async def _dead_letters(bootstrap: str, topic: str, wanted: list[Envelope]) -> dict[str, str]:
    """The DLQ reason of each wanted event, read from the beginning of the DLQ topic."""
    ids = {envelope.id for envelope in wanted}
    consumer = AIOKafkaConsumer(
        topic,
        **client_options(KafkaSettings(bootstrap_servers=bootstrap)),
        group_id="intake-test-" + uuid.uuid4().hex,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: dict[str, str] = {}
    try:

        async def all_found() -> bool:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    headers = {name: value.decode() for name, value in record.headers}
                    if headers.get("ce_id") in ids:
                        found[headers["ce_id"]] = headers[REASON]
            return found.keys() == ids

        await eventually(all_found, "the dead letters")
    finally:
        await consumer.stop()
    return found
