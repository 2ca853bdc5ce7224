"""The journey pipeline: emergency-style requests over HTTP until the booking notification is
recorded as sent, against a bare FastAPI insert and a raw Kafka round trip in the same run."""

import asyncio
import subprocess
import sys
import time
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from bench import erasure
from bench.figures import Section, latency_summary
from bench.load import at_fixed_rate, saturate
from bench.topics import bench_topic
from cq_devstack.platform import Platform
from cq_devstack.ports import free_port, wait_for_port
from cq_devstack.stack import Infrastructure
from cq_shared.messaging.connection import client_options
from cq_shared.settings import KafkaSettings
from cq_testing import emergency_request

# Zwenkau has no guest apartment: every journey takes the same path (intake → scheduling's
# "unavailable" → notifications) and leaves Kaiserslautern's one apartment to the e2e tests.
SITE = "zwenkau"
WARM_UP_JOURNEYS = 5
ERASURE_OFFSET = 20_000  # the erased cases' families: Becker-20000...
_COMPLETED = text(
    "SELECT case_id::text, min(sent_at) FROM deliveries "
    "WHERE template LIKE 'booking%' AND status = 'sent' GROUP BY case_id"
)


def journey_request(index: int) -> dict[str, Any]:
    """The `index`th journey's request: its own family, a day of its own for the booking."""
    start = date.today() + timedelta(days=1 + index % 300)
    return emergency_request(
        SITE,
        start,
        daughter_email=f"daughter-{index}@example.org",
        family_name=f"Becker-{index}",
        postal_code="04442",
        needs=["short_term_care"],
    )


async def _post_journeys(platform: Platform, client: httpx.AsyncClient, offset: int) -> Any:
    url = platform.url("intake", "/v1/requests")
    headers = platform.auth("coordinator", SITE)

    async def send(index: int) -> str:
        response = await client.post(url, json=journey_request(offset + index), headers=headers)
        response.raise_for_status()
        return str(response.json()["case_id"])

    return send


async def _completion_times(
    database_url: str, wanted: set[str], timeout: float
) -> dict[str, float]:
    engine = create_async_engine(database_url, pool_size=1)
    done: dict[str, float] = {}
    deadline = time.monotonic() + timeout
    try:
        while len(done) < len(wanted) and time.monotonic() < deadline:
            async with engine.connect() as connection:
                for case_id, sent_at in (await connection.execute(_COMPLETED)).all():
                    if case_id in wanted:
                        done[case_id] = sent_at.timestamp()
            # Completion is the delivery's sent_at, not when this poll sees it: polling less
            # often changes no figure, only how much CPU the harness takes from the platform.
            await asyncio.sleep(0.5)
    finally:
        await engine.dispose()
    return done


async def journey_sections(
    platform: Platform,
    *,
    rate_per_s: float,
    fixed_count: int,
    saturation_count: int,
    erasure_count: int,
    erasure_rate_per_s: float,
) -> list[Section]:
    """The fixed-rate journeys, the erasures made while they run, then the saturation."""
    async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=64)) as client:
        # Warm-up: connections, consumer group joins and first-call costs are not journeys.
        # The cases to erase under the load go through their journey here too, so that every
        # service holds something of them (bookings, mails, recipients) when they are erased.
        warm = await _post_journeys(platform, client, offset=10_000)
        warm_cases = [await warm(i) for i in range(WARM_UP_JOURNEYS)]
        to_erase = await _post_journeys(platform, client, offset=ERASURE_OFFSET)
        erase_cases = [await to_erase(i) for i in range(erasure_count)]
        await _completion_times(
            platform.databases["notifications"], {*warm_cases, *erase_cases}, 60
        )
        send = await _post_journeys(platform, client, offset=0)
        posted, erasures = await asyncio.gather(
            at_fixed_rate(send, rate_per_s, fixed_count),
            erasure.erase_at_rate(platform, client, SITE, erase_cases, erasure_rate_per_s),
        )
        done = await _completion_times(
            platform.databases["notifications"], {case for _, case in posted}, timeout=120
        )
        await erasure.await_complete(platform, client, SITE, erasures, timeout=120)
        erased = await erasure.erasure_section(platform, erasures, rate_per_s=erasure_rate_per_s)
        latencies = [done[case] - at for at, case in posted if case in done]
        fixed = Section(
            "journey at fixed rate",
            {
                "offered_per_s": rate_per_s,
                "completed": len(done),
                "posted": len(posted),
                **latency_summary(latencies),
            },
        )
        fixed.samples["journey_ms"] = [s * 1000 for s in latencies]

        send = await _post_journeys(platform, client, offset=fixed_count)
        _, results = await saturate(send, concurrency=16, count=saturation_count)
        first_post = min(at for at, _ in results)
        done = await _completion_times(
            platform.databases["notifications"], {case for _, case in results}, timeout=300
        )
        span = max(done.values()) - first_post if done else float("inf")
        saturated = Section(
            "journeys at saturation",
            {"journeys": len(done), "events_per_s": round(len(done) / span, 2)},
        )
    return [fixed, saturated, erased]


async def http_insert_baseline(
    infra: Infrastructure, *, rate_per_s: float, fixed_count: int, saturation_count: int
) -> list[Section]:
    name = f"bench_http_{uuid.uuid4().hex[:6]}"
    await infra.postgres.create_database(name)
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "bench.baseline_app", infra.database_url(name), str(port)]
    )
    try:
        if not await asyncio.to_thread(wait_for_port, port, 30):
            raise RuntimeError("the baseline app did not start")
        async with httpx.AsyncClient(timeout=30, limits=httpx.Limits(max_connections=64)) as client:

            async def send(index: int) -> float:
                started = time.time()
                response = await client.post(
                    f"http://127.0.0.1:{port}/items", json=journey_request(index)
                )
                response.raise_for_status()
                return time.time() - started

            posted = await at_fixed_rate(send, rate_per_s, fixed_count)
            fixed = Section(
                "bare FastAPI insert at fixed rate", latency_summary([d for _, d in posted])
            )
            elapsed, results = await saturate(send, concurrency=16, count=saturation_count)
            saturated = Section(
                "bare FastAPI insert at saturation",
                {"requests": len(results), "events_per_s": round(len(results) / elapsed, 1)},
            )
    finally:
        process.terminate()
        process.wait(10)
    return [fixed, saturated]


async def kafka_round_trip(bootstrap: str, *, rate_per_s: float, count: int) -> Section:
    """Produce a record and read it back through a consumer: the transport's floor latency."""
    topic = await bench_topic(bootstrap, "bench.roundtrip")
    connection = client_options(KafkaSettings(bootstrap_servers=bootstrap))
    producer = AIOKafkaProducer(**connection, acks="all", enable_idempotence=True)
    consumer = AIOKafkaConsumer(topic, **connection, group_id=topic, auto_offset_reset="earliest")
    await producer.start()
    await producer.send_and_wait(topic, b"warm-up")
    await consumer.start()
    sent_at: dict[bytes, float] = {}
    latencies: list[float] = []
    try:
        await consumer.getone()  # the warm-up record: the group has joined

        async def send(index: int) -> None:
            key = str(index).encode()
            sent_at[key] = time.time()
            await producer.send_and_wait(topic, b"x" * 600, key=key)

        async def receive() -> None:
            while len(latencies) < count:
                record = await consumer.getone()
                if record.key in sent_at:
                    latencies.append(time.time() - sent_at[record.key])

        receiver = asyncio.create_task(receive())
        await at_fixed_rate(send, rate_per_s, count)
        await asyncio.wait_for(receiver, 60)
    finally:
        await consumer.stop()
        await producer.stop()
    section = Section(
        "raw Kafka round trip", {"rate_per_s": rate_per_s, **latency_summary(latencies)}
    )
    section.samples["kafka_round_trip_ms"] = [s * 1000 for s in latencies]
    return section
