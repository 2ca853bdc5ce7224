"""Runs every benchmark on one broker and database and collects the sections."""

import asyncio
import os
import platform
import tempfile
import uuid
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path

from bench import (
    courses,
    hop,
    inbox,
    journey,
    matching,
    outbox,
    staffing,
    timers,
    transport,
    webhooks,
)
from bench.figures import Section
from bench.payload import BenchCaseOpened, typical_size
from bench.topics import bench_topic
from cq_devstack.kafka_jars import kafka_version
from cq_devstack.platform import Platform, start_platform, stop_platform
from cq_devstack.stack import Infrastructure


@dataclass(frozen=True)
class Parameters:
    transport_events: int
    relay_events: int
    latency_events: int
    latency_rate_per_s: float
    inbox_events: int
    journey_rate_per_s: float
    journey_count: int
    journey_saturation_count: int
    matching_needs: int
    matching_volunteers: int
    matching_cases: int
    timers_due: int = 10_000
    timers_unbatched: int = 2_000
    timer_lateness_count: int = 300
    timer_rate_per_s: float = 20
    # Erasures made while the fixed-rate journeys run: spread over the same span as the load.
    erasure_count: int = 40
    erasure_rate_per_s: float = 2
    # Public events committed → webhooks delivered (a public event is a site's fact, a few a
    # minute per site in practice: a modest rate).
    webhook_count: int = 200
    webhook_rate_per_s: float = 10
    # Journey 2: courses of one place, each a holder and a waiting person (two intake
    # requests per sample), cancelled at a modest rate; staff registrations for one course.
    course_cancellations: int = 100
    course_cancel_rate_per_s: float = 5
    course_registrations: int = 400


FULL = Parameters(
    transport_events=20_000,
    relay_events=20_000,
    latency_events=300,
    latency_rate_per_s=20,
    inbox_events=20_000,
    journey_rate_per_s=20,
    journey_count=400,
    journey_saturation_count=400,
    matching_needs=1_000,
    matching_volunteers=10_000,
    matching_cases=50,
)
QUICK = Parameters(
    transport_events=500,
    relay_events=500,
    latency_events=20,
    latency_rate_per_s=40,
    inbox_events=200,
    journey_rate_per_s=10,
    journey_count=10,
    journey_saturation_count=10,
    matching_needs=50,
    matching_volunteers=500,
    matching_cases=3,
    timers_due=500,
    timers_unbatched=100,
    timer_lateness_count=20,
    timer_rate_per_s=40,
    erasure_count=5,
    erasure_rate_per_s=5,
    webhook_count=20,
    webhook_rate_per_s=10,
    course_cancellations=5,
    course_cancel_rate_per_s=5,
    course_registrations=20,
)


def environment() -> dict[str, str]:
    return {
        "machine": platform.machine(),
        "cpu_count": str(os.cpu_count()),
        "python": platform.python_version(),
        "kafka": kafka_version(),
        "aiokafka": version("aiokafka"),
        "faststream": version("faststream"),
        "sqlalchemy": version("sqlalchemy"),
        "event_size_bytes": str(typical_size()),
    }


def with_ratio(section: Section, baseline: Section) -> Section:
    rate = baseline.figures["events_per_s"]
    section.figures["baseline_events_per_s"] = rate
    section.figures["ratio"] = round(section.figures["events_per_s"] / rate, 3)
    return section


async def run_messaging(infra: Infrastructure, params: Parameters) -> list[Section]:
    bootstrap = infra.kafka.bootstrap_servers

    async def database_url() -> str:
        name = f"bench_{uuid.uuid4().hex[:8]}"
        await infra.postgres.create_database(name)
        return infra.database_url(name)

    # Warm the broker's JIT first: otherwise whichever figure is measured first (the raw
    # baselines) runs on a cold JVM and every ratio against it looks better than it is.
    warm_topic = await bench_topic(bootstrap, "bench.warm-up")
    await transport.raw_producer(bootstrap, warm_topic, params.transport_events)
    await transport.raw_consumer(bootstrap, warm_topic, params.transport_events)
    raw_topic = await bench_topic(bootstrap, "bench.raw")
    await bench_topic(bootstrap, "bench.outbox", name=BenchCaseOpened.topic)
    producer = await transport.raw_producer(bootstrap, raw_topic, params.transport_events)
    consumer = await transport.raw_consumer(bootstrap, raw_topic, params.transport_events)
    relay = await outbox.relay_throughput(await database_url(), bootstrap, params.relay_events)
    latency = await outbox.commit_to_ack_latency(
        await database_url(), bootstrap, params.latency_events, params.latency_rate_per_s
    )
    inbox_events = min(params.inbox_events, params.transport_events)
    inbox_batched = await inbox.inbox_throughput(
        await database_url(), bootstrap, raw_topic, inbox_events, batched=True
    )
    inbox_single = await inbox.inbox_throughput(
        await database_url(), bootstrap, raw_topic, inbox_events, batched=False
    )
    echo = await hop.faststream_batched_echo(bootstrap, raw_topic, inbox_events)
    one_hop = await hop.effectively_once_hop(
        await database_url(), bootstrap, raw_topic, inbox_events
    )
    timers_fired = await timers.timers_throughput(
        await database_url(), params.timers_due, params.timers_unbatched
    )
    lateness = await timers.timer_lateness(
        await database_url(), params.timer_lateness_count, params.timer_rate_per_s
    )
    return [
        producer,
        consumer,
        with_ratio(relay, producer),
        latency,
        with_ratio(inbox_batched, consumer),
        with_ratio(inbox_single, consumer),
        echo,
        with_ratio(one_hop, echo),
        timers_fired,
        lateness,
    ]


async def run_journeys(
    infra: Infrastructure, params: Parameters, logs: Path, platform: Platform | None = None
) -> list[Section]:
    """On `platform` if given (the test suite's), else on four service processes of its own."""
    if platform is not None:
        pipeline = await _pipeline(platform, params)
    else:
        running: Platform = await asyncio.to_thread(start_platform, infra, logs)
        try:
            pipeline = await _pipeline(running, params)
        finally:
            await asyncio.to_thread(stop_platform, running)
    return await _with_baselines(infra, params, pipeline)


async def _pipeline(platform: Platform, params: Parameters) -> list[Section]:
    sections = await journey.journey_sections(
        platform,
        rate_per_s=params.journey_rate_per_s,
        fixed_count=params.journey_count,
        saturation_count=params.journey_saturation_count,
        erasure_count=params.erasure_count,
        erasure_rate_per_s=params.erasure_rate_per_s,
    )
    hooks = await webhooks.webhook_section(
        platform, count=params.webhook_count, rate_per_s=params.webhook_rate_per_s
    )
    promotion = await courses.promotion_section(
        platform, count=params.course_cancellations, rate_per_s=params.course_cancel_rate_per_s
    )
    registrations = await courses.registrations_section(platform, count=params.course_registrations)
    return [*sections, hooks, promotion, registrations]


async def _with_baselines(
    infra: Infrastructure, params: Parameters, pipeline: list[Section]
) -> list[Section]:
    http_fixed, http_saturated = await journey.http_insert_baseline(
        infra,
        rate_per_s=params.journey_rate_per_s,
        fixed_count=params.journey_count,
        saturation_count=params.journey_saturation_count,
    )
    round_trip = await journey.kafka_round_trip(
        infra.kafka.bootstrap_servers,
        rate_per_s=params.journey_rate_per_s,
        count=params.journey_count,
    )
    fixed, saturated, erased, hooks, promotion, registrations = pipeline
    fixed.figures["baseline_http_insert_p99_ms"] = http_fixed.figures["p99_ms"]
    fixed.figures["baseline_kafka_round_trip_p99_ms"] = round_trip.figures["p99_ms"]
    # Erasure has no natural baseline: the reference is one raw Kafka round trip (p99, same run),
    # the floor of each of the two hops (intake → service → intake) an erasure's receipt makes.
    erased.figures["reference_kafka_round_trip_p99_ms"] = round_trip.figures["p99_ms"]
    return [
        fixed,
        with_ratio(saturated, http_saturated),
        http_fixed,
        http_saturated,
        round_trip,
        erased,
        webhooks.with_transport_floor(hooks, round_trip.figures["p99_ms"]),
        courses.with_transport_floor(promotion, round_trip.figures["p99_ms"]),
        # Registrations at saturation against the same bare insert at saturation.
        with_ratio(registrations, http_saturated),
    ]


def run_all(infra: Infrastructure, quick: bool, platform: Platform | None = None) -> list[Section]:
    params = QUICK if quick else FULL
    sections = asyncio.run(run_messaging(infra, params))
    logs = Path(tempfile.mkdtemp(prefix="bench-logs-"))
    sections += asyncio.run(run_journeys(infra, params, logs, platform))
    sections.append(
        matching.matching_section(
            params.matching_needs, params.matching_volunteers, params.matching_cases
        )
    )
    sections.append(staffing.staffing_section())
    return sections
