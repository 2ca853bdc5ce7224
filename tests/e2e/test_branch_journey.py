"""Journey 7: another DRK branch follows the network. It reads the public topics with nothing
but aiokafka and the official CloudEvents SDK, logged in as the `branch` principal, and it
subscribes a webhook and verifies the signed deliveries with `standardwebhooks`. Neither way
shows it anything about the person of the emergency journey that ran before."""

import json
import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
import jsonschema
from aiokafka import AIOKafkaConsumer
from cloudevents.core.bindings.kafka import KafkaMessage, from_binary_event
from standardwebhooks import Webhook

from cq_devstack.platform import Platform
from cq_shared.contracts.public import PlacesAvailable
from cq_shared.events.access import BRANCH, BRANCH_GROUP_PREFIX
from cq_shared.events.catalogue import catalogue
from cq_testing import emergency_request, eventually, get_json
from cq_testing.webhooks import WebhookReceiver

SITE = "kaiserslautern"
SCHEMAS = Path(__file__).parents[2] / "libs" / "shared" / "schemas" / "events"
PUBLIC_TOPICS = sorted(t.name for t in catalogue.topics() if t.public)


async def read_as_branch(platform: Platform, topics: list[str]) -> list[Any]:
    """What a branch's own script does: the branch's credentials, aiokafka, the CloudEvents
    SDK. A new consumer group reads each topic from the beginning up to its current end."""
    kafka = platform.infrastructure.kafka
    consumer = AIOKafkaConsumer(
        *topics,
        bootstrap_servers=kafka.bootstrap_servers,
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_plain_username=BRANCH,
        sasl_plain_password=kafka.credentials[BRANCH],
        group_id=f"{BRANCH_GROUP_PREFIX}e2e-{uuid.uuid4().hex[:6]}",
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    events: list[Any] = []

    async def poll() -> None:
        for records in (await consumer.getmany(timeout_ms=500)).values():
            for record in records:
                message = KafkaMessage(
                    headers=dict(record.headers), key=record.key, value=record.value
                )
                events.append((record.topic, record.value, from_binary_event(message)))

    try:
        # The metadata a branch gets names the public topics (and their dead letters) only.
        visible = await consumer.topics()
        assert visible
        assert all(name.startswith("public.") for name in visible), visible
        wanted = sum(len(consumer.partitions_for_topic(t) or ()) for t in topics)
        while not wanted or len(consumer.assignment()) < wanted:
            await poll()
            wanted = sum(len(consumer.partitions_for_topic(t) or ()) for t in topics)
        ends = await consumer.end_offsets(list(consumer.assignment()))
        while [p for p, end in ends.items() if await consumer.position(p) < end]:
            await poll()
        return events
    finally:
        await consumer.stop()


async def test_a_branch_reads_public_topics_and_webhooks_without_the_persons_data(
    platform: Platform,
) -> None:
    admin = platform.auth("platform_admin", "*")
    coordinator = platform.auth("coordinator", SITE)
    # After every other journey's stays at Kaiserslautern (the erasure journey's are 200 to
    # 314 days ahead), so the one guest apartment is free; and no volunteer is asked for,
    # the other journeys need the site's volunteers.
    first_night = date.today() + timedelta(days=320 + uuid.uuid4().int % 30)
    family = f"Branchtest{uuid.uuid4().hex[:8]}"
    daughter = f"{family.lower()}@example.org"
    async with WebhookReceiver() as receiver, httpx.AsyncClient(timeout=10) as client:
        subscribed = await client.post(
            platform.url("notifications", "/v1/webhooks/subscriptions"),
            json={
                "url": receiver.url,
                "types": [PlacesAvailable.event_type],
                "description": "Kreisverband Nachbarstadt, Auslastung",
            },
            headers=admin,
        )
        assert subscribed.status_code == 201, subscribed.text
        secret = subscribed.json()["secret"]

        request = emergency_request(
            SITE,
            first_night,
            family_name=family,
            daughter_email=daughter,
            postal_code="67657",
            needs=("short_term_care",),
        )
        created = await client.post(
            platform.url("intake", "/v1/requests"), json=request, headers=coordinator
        )
        assert created.status_code == 201, created.text
        case_id = created.json()["case_id"]

        async def booked() -> list[dict[str, Any]]:
            url = platform.url("scheduling", f"/v1/bookings?case_id={case_id}")
            return await get_json(client, url, coordinator)

        await eventually(booked, "the guest apartment booking")
        nights = {str(first_night + timedelta(days=n)) for n in range(14)}

        def stay_delivered() -> bool:
            subjects = {json.loads(r.body)["subject"] for r in receiver.succeeded()}
            return {f"{SITE}/guest_apartment/{night}" for night in nights} <= subjects

        await eventually(lambda: _async(stay_delivered()), "the stay's nights as webhooks")

    personal = [family, daughter, "Hildegard", "1941-03-12", "67657", case_id]
    verifier = Webhook(secret)
    for reception in receiver.succeeded():
        event = verifier.verify(reception.body, reception.headers)  # raises if forged
        assert event["type"] == PlacesAvailable.event_type
        assert reception.headers["content-type"].startswith("application/cloudevents+json")
        assert not [s for s in personal if s in reception.body.decode()]

    events = await read_as_branch(platform, PUBLIC_TOPICS)
    seen_types = {event.get_type() for _, _, event in events}
    assert PlacesAvailable.event_type in seen_types
    ours = {
        event.get_subject()
        for _, _, event in events
        if event.get_type() == PlacesAvailable.event_type
    }
    assert {f"{SITE}/guest_apartment/{night}" for night in nights} <= ours
    for topic, raw, event in events:
        assert event.get_specversion() == "1.0"
        assert event.get_type().rsplit(".", 1)[-1].startswith("v"), "a versioned type"
        assert catalogue.definition(event.get_type()).topic == topic
        schema = json.loads((SCHEMAS / f"{event.get_type()}.json").read_text(encoding="utf-8"))
        jsonschema.validate(event.get_data(), schema)
        assert not [s for s in personal if s in raw.decode()]


async def _async(value: bool) -> bool:
    return value
