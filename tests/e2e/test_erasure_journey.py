"""Journey 6: a client withdraws consent. Every service erases what it held of the person,
intake gathers the receipts, and afterwards none of the person's strings can be read from any
table of any service or from any record of any topic, read from the beginning.

Also: withdrawing `notify_contacts` stops the next mail to the relative; an erasure asked
while the case's booking is still in flight; an erasure while notifications is stopped,
completed once it is back."""

import random
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, TopicPartition
from aiokafka.admin import AIOKafkaAdminClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from cq_devstack.platform import Platform
from cq_devstack.services import service_environment, start_service, stop_service, wait_until_ready
from cq_shared.messaging.connection import client_options
from cq_shared.settings import KafkaSettings
from cq_testing import emergency_request, eventually, get_json

SITE = "kaiserslautern"


def person() -> tuple[dict[str, Any], list[str], str]:
    """A request of a person whose strings appear nowhere else; those strings; the
    daughter's address."""
    tag = uuid.uuid4().hex[:10]
    start = date.today() + timedelta(days=random.randint(200, 300))
    born = date(1930, 1, 1) + timedelta(days=random.randint(0, 5000))
    email = f"tochter.{tag}@example.org"
    body = emergency_request(SITE, start, daughter_email=email, family_name=f"Fam{tag}")
    body["client"]["given_name"] = f"Klient{tag}"
    body["client"]["birth_date"] = born.isoformat()
    body["contacts"][0]["given_name"] = f"Tochter{tag}"
    body["needs"][0]["note"] = f"Notiz{tag}"
    return body, [f"Klient{tag}", f"Fam{tag}", f"Tochter{tag}", email, f"Notiz{tag}"], email


async def open_case(client: httpx.AsyncClient, platform: Platform, body: dict) -> str:
    created = await client.post(
        platform.url("intake", "/v1/requests"),
        json=body,
        headers=platform.auth("coordinator", SITE),
    )
    assert created.status_code == 201, created.text
    return str(created.json()["case_id"])


async def erase(client: httpx.AsyncClient, platform: Platform, case_id: str) -> None:
    response = await client.post(
        platform.url("intake", f"/v1/cases/{case_id}/erasure"),
        headers=platform.auth("coordinator", SITE),
    )
    assert response.status_code == 202, response.text


async def erasure_of(client: httpx.AsyncClient, platform: Platform, case_id: str) -> dict:
    url = platform.url("intake", f"/v1/cases/{case_id}/erasure")
    return dict(await get_json(client, url, platform.auth("coordinator", SITE)))


async def tables_mentioning(platform: Platform, strings: list[str]) -> list[str]:
    """Every row of every table of every service's database, as text."""
    found = []
    for service, url in platform.databases.items():
        engine = create_async_engine(url)
        try:
            async with engine.connect() as connection:
                tables = (
                    await connection.execute(
                        text(
                            "SELECT table_name FROM information_schema.tables "
                            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
                        )
                    )
                ).scalars()
                for table in list(tables):
                    rows = await connection.execute(text(f'SELECT t::text FROM "{table}" AS t'))
                    found += [
                        f"{service}.{table}: {s}" for (row,) in rows for s in strings if s in row
                    ]
        finally:
            await engine.dispose()
    return found


async def records_mentioning(bootstrap: str, strings: list[str]) -> list[str]:
    """Every record of every topic (DLQs included) from the beginning: key, value, headers."""
    settings = KafkaSettings(bootstrap_servers=bootstrap)  # the operator: it reads every topic
    admin = AIOKafkaAdminClient(**client_options(settings))
    await admin.start()
    try:
        partitions = [
            TopicPartition(topic["topic"], partition["partition"])
            for topic in await admin.describe_topics()
            if not topic["topic"].startswith("__")
            for partition in topic["partitions"]
        ]
    finally:
        await admin.close()
    consumer = AIOKafkaConsumer(**client_options(settings), enable_auto_commit=False)
    await consumer.start()
    found = []
    try:
        ends = await consumer.end_offsets(partitions)
        # Only partitions with records: resetting the offsets of every empty one too only
        # delays the fetches that matter.
        pending = {tp for tp in partitions if ends[tp] > 0}
        consumer.assign(list(pending))
        await consumer.seek_to_beginning(*pending)
        while pending:
            for records in (await consumer.getmany(timeout_ms=1000, max_records=5000)).values():
                for record in records:
                    blob = b" ".join(
                        [record.key or b"", record.value or b""]
                        + [value for _, value in record.headers]
                    ).decode("utf-8", "replace")
                    found += [f"{record.topic}: {s}" for s in strings if s in blob]
            pending = {tp for tp in pending if await consumer.position(tp) < ends[tp]}
    finally:
        await consumer.stop()
    return found


async def test_a_client_withdraws_consent_and_every_service_forgets_them(
    platform: Platform,
) -> None:
    coordinator = platform.auth("coordinator", SITE)
    bootstrap = platform.infrastructure.kafka.bootstrap_servers
    body, strings, email = person()
    async with httpx.AsyncClient(timeout=10) as client:
        case_id = await open_case(client, platform, body)

        async def reached_everyone() -> bool:
            bookings = await get_json(
                client, platform.url("scheduling", f"/v1/bookings?case_id={case_id}"), coordinator
            )
            matches = await get_json(
                client, platform.url("volunteering", f"/v1/matches?case_id={case_id}"), coordinator
            )
            return bool(bookings) and bool(matches) and len(platform.mails_to(email)) >= 2

        await eventually(reached_everyone, "a booking, a proposal and mails to the daughter")
        assert await tables_mentioning(platform, strings), "stored before the erasure"

        await erase(client, platform, case_id)
        await erase(client, platform, case_id)  # asked twice: one erasure
        status = await eventually(
            lambda: erasure_of(client, platform, case_id),
            "every service's receipt",
            until=lambda s: s["complete"],
            timeout=60,
        )
        assert {name: s["status"] for name, s in status["services"].items()} == dict.fromkeys(
            ("intake", "scheduling", "volunteering", "notifications"), "erased"
        )
        gone = await client.get(platform.url("intake", f"/v1/cases/{case_id}"), headers=coordinator)
        assert gone.status_code == 410

    assert await tables_mentioning(platform, strings) == []
    assert await records_mentioning(bootstrap, strings) == []
    # The scan reads every topic: the case's id (a key, not personal) is found in them.
    seen = {hit.split(":")[0] for hit in await records_mentioning(bootstrap, [case_id])}
    assert {"intake.cases", "intake.case-keys", "scheduling.bookings"} <= seen


async def test_withdrawing_notify_contacts_stops_the_next_mail_to_the_relative(
    platform: Platform,
) -> None:
    coordinator = platform.auth("coordinator", SITE)
    body, _, email = person()
    body["needs"] = [body["needs"][1]]  # a volunteer visit: the acceptance is news later
    client_email = f"klient.{uuid.uuid4().hex[:10]}@example.org"
    body["client"]["email"] = client_email
    async with httpx.AsyncClient(timeout=10) as client:
        case_id = await open_case(client, platform, body)

        async def proposal() -> list[dict[str, Any]]:
            url = platform.url("volunteering", f"/v1/matches?case_id={case_id}")
            return list(await get_json(client, url, coordinator))

        [match] = await eventually(proposal, "a volunteer proposal")
        before = await eventually(lambda: _async(platform.mails_to(email)), "the case_opened mail")

        withdrawn = await client.post(
            platform.url("intake", f"/v1/cases/{case_id}/consent"),
            json={"purpose": "notify_contacts", "granted": False},
            headers=coordinator,
        )
        assert withdrawn.status_code == 200, withdrawn.text
        assert withdrawn.json()["notify_contacts"] is False
        accepted = await client.post(
            platform.url("volunteering", f"/v1/matches/{match['match_id']}/accept"),
            headers=coordinator,
        )
        assert accepted.status_code == 200, accepted.text

        async def arranged() -> bool:
            case = await get_json(
                client, platform.url("intake", f"/v1/cases/{case_id}"), coordinator
            )
            return bool(case["status"] == "arranged")

        await eventually(arranged, "the volunteer's acceptance at intake")

        async def volunteer_found_deliveries() -> list[dict[str, Any]]:
            url = platform.url("notifications", f"/v1/deliveries?case_id={case_id}")
            items = await get_json(client, url, coordinator)
            return [d for d in items if d["template"] == "volunteer_found"]

        # The client is told; the daughter, no longer a recipient, is not: her mails are the
        # ones from before the withdrawal.
        [found] = await eventually(volunteer_found_deliveries, "the client's volunteer_found")
        assert found["recipient_role"] == "client"
        assert len(platform.mails_to(email)) == len(before)


async def test_erasure_with_notifications_down_and_a_booking_in_flight(
    platform: Platform, tmp_path
) -> None:
    body, strings, _ = person()
    notifications = platform.services["notifications"]
    async with httpx.AsyncClient(timeout=10) as client:
        stop_service(platform.processes["notifications"])
        try:
            # Erased at once: scheduling's booking and volunteering's proposal are in flight.
            case_id = await open_case(client, platform, body)
            await erase(client, platform, case_id)
            status = await eventually(
                lambda: erasure_of(client, platform, case_id),
                "scheduling's and volunteering's receipts",
                until=lambda s: (
                    s["services"]["volunteering"]["status"] == "erased"
                    and s["services"]["scheduling"]["status"] == "erased"
                ),
            )
            assert status["services"]["notifications"]["status"] == "pending"
            assert status["complete"] is False
        finally:
            env = service_environment(
                platform.infrastructure,
                notifications,
                demo_data=True,
                extra={"CQ_DATABASE_URL": platform.databases["notifications"]},
            )
            log = (tmp_path / "notifications-restarted.log").open("w")
            platform.processes["notifications"] = start_service(notifications, env, echo=log)
            wait_until_ready(notifications, platform.processes["notifications"])
        await eventually(
            lambda: erasure_of(client, platform, case_id),
            "the notifications receipt once it is back",
            until=lambda s: s["complete"],
            timeout=60,
        )
    assert await tables_mentioning(platform, strings) == []


async def _async(value: Any) -> Any:
    return value
