"""Two instances of one service in one consumer group share the partitions, and journeys still
complete exactly once while one of them is SIGKILLed (declared topics have six partitions)."""

import os
import signal
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from cq_devstack.platform import Platform
from cq_devstack.ports import free_port
from cq_devstack.services import (
    ServiceDef,
    service_environment,
    start_service,
    stop_service,
    wait_until_ready,
)
from cq_testing import eventually, get_json, metric

SITE = "zwenkau"
CONSUMED = "events_consumed_total"


def day_care_request(index: int) -> dict[str, Any]:
    day = date.today() + timedelta(days=30 + index % 20)
    return {
        "site": SITE,
        "channel": "phone",
        "urgency": "routine",
        "client": {
            "given_name": "Erika",
            "family_name": f"Lange{index}",
            "birth_date": "1938-05-02",
            "postal_code": "04442",
            "language": "de",
            "care_level": "2",
        },
        "contacts": [],
        "needs": [{"type": "day_care", "start": day.isoformat()}],
        "consent": {
            "data_processing": True,
            "notify_contacts": False,
            "share_with_volunteers": False,
        },
    }


async def open_cases(client: httpx.AsyncClient, platform: Platform, first: int, n: int) -> list:
    headers = platform.auth("coordinator", SITE)
    case_ids = []
    for index in range(first, first + n):
        response = await client.post(
            platform.url("intake", "/v1/requests"), json=day_care_request(index), headers=headers
        )
        assert response.status_code == 201, response.text
        case_ids.append(response.json()["case_id"])
    return case_ids


async def test_two_scheduling_instances_share_the_partitions_and_survive_a_sigkill(
    platform: Platform, tmp_path: Path
) -> None:
    second = ServiceDef("scheduling", free_port())
    env = service_environment(
        platform.infrastructure,
        second,
        demo_data=True,
        extra={"CQ_DATABASE_URL": platform.databases["scheduling"]},
    )
    process = start_service(second, env, echo=(tmp_path / "scheduling-2.log").open("w"))
    headers = platform.auth("coordinator", SITE)
    try:
        wait_until_ready(second, process)
        first_url = platform.services["scheduling"].url
        async with (
            httpx.AsyncClient(timeout=10) as client,
            httpx.AsyncClient(base_url=first_url) as first,
            httpx.AsyncClient(base_url=second.url) as other,
        ):

            async def both_consumed() -> tuple[float, float]:
                label = 'consumer="scheduling.case-needs"'
                return (await metric(first, CONSUMED, label), await metric(other, CONSUMED, label))

            before = await both_consumed()
            # Cases are keyed by their id, so they spread over the six partitions; until both
            # instances have handled some, the group has not split them (or has not yet
            # rebalanced after the second one joined): keep opening cases.
            case_ids: list[str] = []

            async def opened_until_both_consumed() -> tuple[float, float] | None:
                case_ids.extend(await open_cases(client, platform, len(case_ids), 6))
                now = await both_consumed()
                return now if all(a > b for a, b in zip(now, before, strict=True)) else None

            await eventually(
                opened_until_both_consumed, "both instances consuming", timeout=90, interval=1
            )
            # More journeys in flight, then the second instance dies without a goodbye.
            case_ids += await open_cases(client, platform, len(case_ids), 12)
            os.kill(process.pid, signal.SIGKILL)
            process.wait()
            case_ids += await open_cases(client, platform, len(case_ids), 12)

            async def all_answered() -> list[str]:
                waiting = []
                for case_id in case_ids:
                    case = await get_json(
                        client, platform.url("intake", f"/v1/cases/{case_id}"), headers
                    )
                    if any(need["state"] == "requested" for need in case["needs"]):
                        waiting.append(case_id)
                return waiting

            await eventually(all_answered, "every journey answered", until=lambda w: not w)

        # Exactly once: one booking outcome per need in scheduling's outbox, and no booking
        # twice, although both instances wrote to the same database.
        engine = create_async_engine(platform.databases["scheduling"])
        try:
            async with engine.connect() as connection:
                outcomes = (
                    await connection.execute(
                        text(
                            "SELECT subject, count(*) FROM outbox "
                            "WHERE event_type LIKE '%scheduling.booking.%' "
                            "AND subject = ANY(:cases) GROUP BY subject"
                        ),
                        {"cases": case_ids},
                    )
                ).all()
                doubled = (
                    await connection.execute(
                        text(
                            "SELECT need_id FROM bookings WHERE case_id::text = ANY(:cases) "
                            "GROUP BY need_id HAVING count(*) > 1"
                        ),
                        {"cases": case_ids},
                    )
                ).all()
        finally:
            await engine.dispose()
        assert {subject: n for subject, n in outcomes} == dict.fromkeys(case_ids, 1)
        assert doubled == []
    finally:
        stop_service(process)
