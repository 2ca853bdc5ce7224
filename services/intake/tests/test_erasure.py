"""Erasure at intake: the person goes at once (here and from the outbox), the case answers 410,
asking twice erases once, and the other services' receipts complete the status."""

import uuid
from datetime import UTC, datetime

from fastapi import FastAPI

from cq_shared.contracts.intake import CaseErased, CaseKeyDestroyed
from cq_shared.contracts.scheduling import SchedulingErasureCompleted
from cq_shared.contracts.volunteering import VolunteeringErasureCompleted
from cq_testing import Publisher, eventually, outbox_of

from .support import emergency, rows

SITE = "kaiserslautern"


def unique_person() -> tuple[dict, list[str]]:
    """A request whose personal strings appear nowhere else, and those strings."""
    tag = uuid.uuid4().hex[:8]
    body = emergency()
    body["client"]["given_name"] = f"Gerda{tag}"
    body["client"]["family_name"] = f"Unfind{tag}"
    body["client"]["postal_code"] = "67657"
    body["contacts"][0]["given_name"] = f"Tochter{tag}"
    body["contacts"][0]["email"] = f"tochter.{tag}@example.org"
    body["needs"][0]["note"] = f"Diagnose{tag}"
    strings = [
        f"Gerda{tag}",
        f"Unfind{tag}",
        f"Tochter{tag}",
        f"tochter.{tag}@example.org",
        f"Diagnose{tag}",
        "1941-03-12",
    ]
    return body, strings


async def intake_rows_mentioning(app: FastAPI, strings: list[str]) -> list[str]:
    """Every table of intake's database, each row as text, searched for the strings."""
    tables = [
        name
        for (name,) in await rows(
            app,
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE'",
        )
    ]
    found = []
    for table in tables:
        for (row,) in await rows(app, f'SELECT t::text FROM "{table}" AS t'):
            found += [f"{table}: {s}" for s in strings if s in row]
    return found


async def test_erasure_forgets_the_person_at_once_and_gathers_the_receipts(
    serve, bearer, app: FastAPI, infrastructure
) -> None:
    coordinator = bearer("coordinator", SITE)
    body, strings = unique_person()
    async with serve(app) as client, Publisher(infrastructure.kafka.bootstrap_servers) as kafka:
        created = await client.post("/v1/requests", json=body, headers=coordinator)
        assert created.status_code == 201, created.text
        case_id = created.json()["case_id"]
        assert await intake_rows_mentioning(app, strings), "the person is stored before"

        elsewhere = await client.post(
            f"/v1/cases/{case_id}/erasure", headers=bearer("coordinator", "muenster")
        )
        assert elsewhere.status_code == 403
        carer = await client.post(
            f"/v1/cases/{case_id}/erasure", headers=bearer("care_staff", SITE)
        )
        assert carer.status_code == 403
        assert (await client.get(f"/v1/cases/{case_id}", headers=coordinator)).status_code == 200

        erased = await client.post(f"/v1/cases/{case_id}/erasure", headers=coordinator)
        assert erased.status_code == 202, erased.text
        status = erased.json()
        assert status["services"]["intake"]["status"] == "erased"
        assert {status["services"][s]["status"] for s in ("scheduling", "volunteering")} == {
            "pending"
        }
        assert status["complete"] is False

        again = await client.post(f"/v1/cases/{case_id}/erasure", headers=coordinator)
        assert again.status_code == 202
        assert again.json()["requested_at"] == status["requested_at"]
        # One announcement, however often it was asked for; the case's earlier events
        # (they carried its contact points) are gone from the outbox.
        written = await outbox_of(app.state.context.database, case_id)
        assert [w.event_type for w in written] == [
            CaseKeyDestroyed.event_type,
            CaseErased.event_type,
            "de.drk.carequartier.intake.erasure.completed.v1",
        ]
        assert await intake_rows_mentioning(app, strings) == []

        gone = await client.get(f"/v1/cases/{case_id}", headers=coordinator)
        assert gone.status_code == 410
        assert gone.headers["content-type"] == "application/problem+json"
        # Statistics keep the anonymous facts.
        [(age_band, care_level)] = await rows(
            app, "SELECT age_band, care_level FROM clients WHERE case_id = :id", id=case_id
        )
        assert (age_band, care_level) == ("80-89", "3")

        now = datetime.now(UTC)
        for receipt in (
            SchedulingErasureCompleted(case_id=case_id, site=SITE, erased_at=now),
            VolunteeringErasureCompleted(case_id=case_id, site=SITE, erased_at=now),
        ):
            await kafka.send(receipt)
            await kafka.send(receipt)  # a second receipt (a new event) changes nothing

        async def status_now() -> dict:
            response = await client.get(f"/v1/cases/{case_id}/erasure", headers=coordinator)
            assert response.status_code == 200, response.text
            return dict(response.json())

        seen = await eventually(
            status_now,
            "the scheduling and volunteering receipts",
            until=lambda s: (
                s["services"]["volunteering"]["status"] == "erased"
                and s["services"]["scheduling"]["status"] == "erased"
            ),
        )
        assert seen["services"]["notifications"]["status"] == "pending"
        assert seen["complete"] is False
        [(receipts,)] = await rows(
            app, "SELECT count(*) FROM erasure_receipts WHERE case_id = :id", id=case_id
        )
        assert receipts == 3


async def test_an_erasure_nobody_asked_for_is_not_found(serve, bearer, app: FastAPI) -> None:
    coordinator = bearer("coordinator", SITE)
    async with serve(app) as client:
        created = await client.post("/v1/requests", json=emergency(), headers=coordinator)
        case_id = created.json()["case_id"]
        response = await client.get(f"/v1/cases/{case_id}/erasure", headers=coordinator)
        assert response.status_code == 404
        unknown = await client.post(f"/v1/cases/{uuid.uuid4()}/erasure", headers=coordinator)
        assert unknown.status_code == 404
        malformed = await client.post("/v1/cases/not-a-uuid/erasure", headers=coordinator)
        assert malformed.status_code == 422


async def test_statistics_are_the_same_before_and_after_an_erasure(
    serve, bearer, app: FastAPI
) -> None:
    coordinator = bearer("coordinator", "zwenkau")
    body = emergency("zwenkau")
    body["needs"] = [{"type": "day_care", "start": body["needs"][0]["start"]}]
    url = "/v1/sites/zwenkau/statistics?from=2025-06-01T00:00:00Z&to=2025-06-03T00:00:00Z"
    async with serve(app) as client:
        created = await client.post("/v1/requests", json=body, headers=coordinator)
        assert created.status_code == 201, created.text
        before = await client.get(url, headers=coordinator)
        assert before.status_code == 200, before.text
        erased = await client.post(
            f"/v1/cases/{created.json()['case_id']}/erasure", headers=coordinator
        )
        assert erased.status_code == 202
        after = (await client.get(url, headers=coordinator)).json()

        assert before.json()["cases"] == after["cases"] == 1
        assert (before.json()["erased"], after["erased"]) == (0, 1)
        for part in ("by_need", "by_age_band", "by_care_level"):
            assert before.json()[part] == after[part]
        assert after["by_age_band"] == [{"key": {"age_band": "80-89"}, "count": 1}]
        assert after["by_care_level"] == [{"key": {"care_level": "3"}, "count": 1}]
        assert after["by_need"] == [
            {"key": {"need_type": "day_care", "state": "requested"}, "count": 1}
        ]
        elsewhere = await client.get(url, headers=bearer("coordinator", "muenster"))
        assert elsewhere.status_code == 403
        backwards = await client.get(
            "/v1/sites/zwenkau/statistics?from=2025-06-03T00:00:00Z&to=2025-06-01T00:00:00Z",
            headers=coordinator,
        )
        assert backwards.status_code == 422
