"""A fifth site, added purely in configuration (the site catalogue file), runs a journey end
to end: intake accepts its case, scheduling answers for it, volunteering proposes one of its
volunteers, and notifications writes to the relative and the volunteer."""

import tomllib
import uuid
from collections.abc import Iterator
from datetime import date, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import pytest

from cq_devstack.platform import Platform, start_platform, stop_platform
from cq_devstack.stack import Infrastructure
from cq_testing import eventually, get_json, intake_request

SITE = "bonn"
FIFTH_SITE = Path(__file__).with_name("sites-with-bonn.toml")


@pytest.fixture
def five_sites(tmp_path: Path) -> Path:
    """The packaged catalogue's four sites and Bonn, in one file."""
    packaged = resources.files("cq_shared.sites").joinpath("sites.toml").read_text("utf-8")
    path = tmp_path / "sites.toml"
    path.write_text(packaged + "\n" + FIFTH_SITE.read_text(), encoding="utf-8")
    assert set(tomllib.loads(path.read_text())["sites"]) == {
        "muenster",
        "zwenkau",
        "kaiserslautern",
        "koeln-chorweiler",
        SITE,
    }
    return path


@pytest.fixture
def bonn_platform(
    infrastructure: Infrastructure, five_sites: Path, tmp_path: Path
) -> Iterator[Platform]:
    # Consumer groups of its own: the session's platform on the same broker keeps its own.
    running = start_platform(
        infrastructure,
        tmp_path / "logs",
        extra_environment={"CQ_SITES_FILE": str(five_sites)},
        group_prefix=f"bonn-{uuid.uuid4().hex[:6]}.",
    )
    try:
        yield running
    finally:
        stop_platform(running)


def bonn_request(relative_email: str, start: date) -> dict[str, Any]:
    son = {
        "relation": "son",
        "given_name": "Jan",
        "family_name": "Schäfer",
        "email": relative_email,
        "language": "en",
        "notify": True,
    }
    return intake_request(
        SITE,
        channel="walk_in",
        urgency="routine",
        client={
            "given_name": "Friedhelm",
            "family_name": "Schäfer",
            "birth_date": "1944-09-30",
            "postal_code": "53119",
            "language": "de",
            "care_level": "2",
        },
        contacts=[son],
        needs=[
            {"type": "volunteer_visit", "start": start.isoformat(), "days": 30},
            {"type": "day_care", "start": start.isoformat()},
        ],
    )


async def test_a_site_added_in_configuration_runs_a_journey(bonn_platform: Platform) -> None:
    platform = bonn_platform
    admin = platform.auth("site_admin", SITE)
    coordinator = platform.auth("coordinator", SITE)
    start = date.today() + timedelta(days=3)
    volunteer_email = f"ute.{uuid.uuid4().hex[:6]}@example.org"
    relative_email = f"jan.{uuid.uuid4().hex[:6]}@example.org"
    async with httpx.AsyncClient(timeout=10) as client:
        registered = await client.post(
            platform.url("volunteering", "/v1/volunteers"),
            json={
                "site": SITE,
                "given_name": "Ute",
                "family_name": "Brenner",
                "email": volunteer_email,
                "languages": ["de", "en"],
                "skills": ["volunteer_visit"],
                "postal_code": "53119",
                "weekdays": ["mon", "tue", "wed", "thu", "fri"],
                "max_load": 2,
                "certificate_of_conduct_expires_on": (start + timedelta(days=700)).isoformat(),
            },
            headers=admin,
        )
        assert registered.status_code == 201, registered.text
        volunteer_id = registered.json()["id"]

        created = await client.post(
            platform.url("intake", "/v1/requests"),
            json=bonn_request(relative_email, start),
            headers=coordinator,
        )
        assert created.status_code == 201, created.text
        case_id = created.json()["case_id"]

        async def proposal() -> list[dict[str, Any]]:
            return await get_json(
                client, platform.url("volunteering", f"/v1/matches?case_id={case_id}"), coordinator
            )

        [match] = await eventually(proposal, "a proposal of Bonn's volunteer")
        assert match["volunteer_id"] == volunteer_id

        async def case_answered() -> dict[str, str]:
            case = await get_json(
                client, platform.url("intake", f"/v1/cases/{case_id}"), coordinator
            )
            return {need["type"]: need["state"] for need in case["needs"]}

        states = await eventually(
            case_answered,
            "scheduling's and volunteering's answers on the case",
            until=lambda s: "requested" not in s.values(),
        )
        # Bonn has no day-care places yet (no resources configured): scheduling says so.
        assert states == {"volunteer_visit": "volunteer_proposed", "day_care": "unavailable"}

        [to_relative, *_] = await eventually(
            lambda: _async(platform.mails_to(relative_email)), "a mail to the son"
        )
        assert to_relative["Content-Language"] == "en"
        assert await eventually(
            lambda: _async(platform.mails_to(volunteer_email)), "a mail to the volunteer"
        )


async def _async(value: Any) -> Any:
    return value
