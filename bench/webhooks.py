"""A public event committed → its webhook delivered and verified (issue 12), on the running
platform.

A site admin subscribes a receiver on loopback (cq_testing.webhooks; the platform allows
private URLs, as `make run` does) to `PlacesAvailable`. Events are committed to scheduling's
outbox (the producing service's transaction, as a booking would), at a fixed rate; its relay
publishes them, notifications' webhooks consumer makes the deliveries and their timers, and
the timer's attempt signs and POSTs them. Latency: the receiver's arrival time minus the
commit's return, both in this process. Every reception is verified with the subscription's
secret (outside the timing).

Baselines in the same run: one signed POST straight to the same receiver (the HTTP floor,
measured here) and a raw Kafka round trip (the transport's floor, from the journeys' run);
`floor_p99_ms` is their sum and `ratio_p99` this path's p99 against it.
"""

import asyncio
import contextlib
import json
import ssl
import time
import uuid
from datetime import UTC, date, datetime

import httpx
from standardwebhooks import Webhook

from bench.figures import Section, latency_summary
from bench.load import at_fixed_rate
from cq_devstack.platform import Platform
from cq_shared.contracts.public import PlacesAvailable
from cq_shared.db.database import Database
from cq_shared.messaging.outbox import EventWriter
from cq_shared.settings import DatabaseSettings
from cq_testing.webhooks import WebhookReceiver

NAME = "public event to webhook"
SITE = "kaiserslautern"


def _event(index: int) -> PlacesAvailable:
    return PlacesAvailable(
        site=SITE, date=date(2027, 1, 1), resource_type="day_care_place", capacity=4, free=index % 4
    )


async def _subscribe(platform: Platform, client: httpx.AsyncClient, url: str) -> str:
    response = await client.post(
        platform.url("notifications", "/v1/webhooks/subscriptions"),
        json={"url": url, "types": [PlacesAvailable.event_type], "description": "bench"},
        headers=platform.auth("site_admin", SITE),
    )
    response.raise_for_status()
    secret: str = response.json()["secret"]
    return secret


async def _signed_post_floor(url: str, secret: str, count: int, rate_per_s: float) -> list[float]:
    """One signed POST per event straight to the receiver, a fresh client each with a TLS
    context made once (as the sender does)."""
    tls = ssl.create_default_context()
    body = json.dumps({"specversion": "1.0", "data": {"free": 1}})

    async def send(index: int) -> float:
        started = time.perf_counter()
        webhook_id = str(uuid.uuid4())
        now = datetime.now(UTC)
        headers = {
            "content-type": "application/cloudevents+json",
            "webhook-id": webhook_id,
            "webhook-timestamp": str(int(now.timestamp())),
            "webhook-signature": Webhook(secret).sign(webhook_id, now, body),
        }
        async with httpx.AsyncClient(verify=tls, timeout=10, trust_env=False) as client:
            await client.post(url, content=body.encode(), headers=headers)
        return time.perf_counter() - started

    return [seconds for _, seconds in await at_fixed_rate(send, rate_per_s, count)]


async def webhook_section(platform: Platform, *, count: int, rate_per_s: float) -> Section:
    database = Database(DatabaseSettings(url=platform.databases["scheduling"], pool_size=4))
    writer = EventWriter("scheduling")
    committed: dict[str, float] = {}
    async with WebhookReceiver() as receiver, httpx.AsyncClient(timeout=30) as client:
        secret = await _subscribe(platform, client, receiver.url)

        async def commit(index: int) -> None:
            async with database.unit_of_work() as session:
                event_id = await writer.add(
                    session,
                    _event(index),
                    subject=f"{SITE}/day_care_place/bench-{index}",
                    site=SITE,
                )
            committed[str(event_id)] = time.perf_counter()

        try:
            await at_fixed_rate(commit, rate_per_s, count)
            await _all_arrived(receiver, committed, count, timeout=60)
        finally:
            await database.dispose()
        arrivals = _arrivals(receiver, committed)
        for reception in receiver.received:
            Webhook(secret).verify(reception.body, reception.headers)  # raises if not
        latencies = [arrivals[event_id] - committed[event_id] for event_id in arrivals]
        floor = _signed_post_floor(receiver.url, secret, count, rate_per_s)
        post = latency_summary(await floor)
    figures = {
        "events": count,
        "delivered": len(latencies),
        "rate_per_s": rate_per_s,
        **latency_summary(latencies),
        "baseline_signed_post_p50_ms": post["p50_ms"],
        "baseline_signed_post_p99_ms": post["p99_ms"],
    }
    section = Section(NAME, figures)
    section.samples["latency_ms"] = [s * 1000 for s in latencies]
    return section


def with_transport_floor(section: Section, kafka_round_trip_p99_ms: float) -> Section:
    """The floor of the path: one Kafka hop plus one signed POST (both p99, same run)."""
    floor = kafka_round_trip_p99_ms + section.figures["baseline_signed_post_p99_ms"]
    section.figures["reference_kafka_round_trip_p99_ms"] = kafka_round_trip_p99_ms
    section.figures["floor_p99_ms"] = round(floor, 2)
    section.figures["ratio_p99"] = round(section.figures["p99_ms"] / floor, 2) if floor else 0.0
    return section


async def _all_arrived(
    receiver: WebhookReceiver, committed: dict[str, float], count: int, *, timeout: float
) -> None:
    deadline = time.monotonic() + timeout
    while len(_arrivals(receiver, committed)) < count:
        receiver.arrived.clear()
        left = deadline - time.monotonic()
        if left <= 0:
            return  # the section reports how many arrived
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(receiver.arrived.wait(), left)


def _arrivals(receiver: WebhookReceiver, committed: dict[str, float]) -> dict[str, float]:
    """Per committed event, when its first request arrived (older events are ignored)."""
    first: dict[str, float] = {}
    for reception in receiver.received:
        event_id = json.loads(reception.body)["id"]
        if event_id in committed and event_id not in first:
            first[event_id] = reception.at
    return first
