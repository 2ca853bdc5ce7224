"""The service end to end on the real broker and database, with the demo volunteers:
CaseOpened on `intake.cases` -> proposals with reasons -> answers over HTTP -> outbox events."""

import asyncio
import uuid
from datetime import date, timedelta

from cq_shared.contracts import Language, NeedType
from cq_shared.contracts.intake import CaseErased
from cq_testing import envelope_of, eventually, publish

from .conftest import Running
from .support import case_opened, outbox, volunteer_body


def next_weekday(weekday: int) -> date:
    today = date.today()
    return today + timedelta(days=(weekday - today.weekday()) % 7 or 7)


async def matches_of(running: Running, headers: dict[str, str], case_id: uuid.UUID) -> list[dict]:
    response = await running.client.get(
        "/v1/matches", params={"case_id": str(case_id)}, headers=headers
    )
    assert response.status_code == 200, response.text
    return response.json()


async def test_kaiserslautern_visit_walks_the_ranking_and_never_the_expired(
    volunteering: Running, infrastructure, bearer
) -> None:
    coordinator = bearer("coordinator", "kaiserslautern")
    wednesday = next_weekday(2)
    case = case_opened(
        "kaiserslautern", postal_code="67655", needs=[(NeedType.VOLUNTEER_VISIT, wednesday)]
    )
    await publish(infrastructure.kafka.bootstrap_servers, case)

    [first] = await eventually(
        lambda: matches_of(volunteering, coordinator, case.case_id), until=lambda m: len(m) == 1
    )
    # Klaus (67655, free every day) would score best, but his certificate has expired.
    assert first["volunteer_given_name"] == "Sabine"
    assert first["status"] == "proposed"
    reasons = {r["criterion"]: r for r in first["reasons"]}
    assert set(reasons) == {"language", "proximity", "availability", "load", "certificate"}
    assert sum(r["points"] for r in first["reasons"]) == first["score"] == 0.9
    assert "German" in reasons["language"]["explanation"]

    # Decline, by the coordinator and then by the volunteers asked: the next best is asked
    # each time.
    declined = await volunteering.client.post(
        f"/v1/matches/{first['match_id']}/decline", headers=coordinator
    )
    assert declined.status_code == 200, declined.text
    assert declined.json()["status"] == "declined"
    seen = await matches_of(volunteering, coordinator, case.case_id)
    assert [m["volunteer_given_name"] for m in seen] == ["Sabine", "Aylin"]
    second = seen[1]
    volunteer = bearer("volunteer", "kaiserslautern", volunteer_id=second["volunteer_id"])
    assert (
        await volunteering.client.post(
            f"/v1/matches/{second['match_id']}/decline", headers=volunteer
        )
    ).status_code == 200
    third = (await matches_of(volunteering, coordinator, case.case_id))[2]
    assert third["volunteer_given_name"] == "Jürgen"
    volunteer = bearer("volunteer", "kaiserslautern", volunteer_id=third["volunteer_id"])
    assert (
        await volunteering.client.post(
            f"/v1/matches/{third['match_id']}/decline", headers=volunteer
        )
    ).status_code == 200

    # Nobody left: the need is reported unfilled, and a declined match cannot be accepted.
    final = await matches_of(volunteering, coordinator, case.case_id)
    assert [m["status"] for m in final] == ["declined"] * 3
    assert "Klaus" not in {m["volunteer_given_name"] for m in final}
    late = await volunteering.client.post(
        f"/v1/matches/{first['match_id']}/accept", headers=coordinator
    )
    assert late.status_code == 409
    assert late.headers["content-type"] == "application/problem+json"
    events = await outbox(volunteering.app.state.context.database, case.case_id)
    assert [kind for kind, _ in events] == [
        "match.proposed.v1",
        "match.declined.v1",
        "match.proposed.v1",
        "match.declined.v1",
        "match.proposed.v1",
        "match.declined.v1",
        "match.unfilled.v1",
    ]
    proposed = events[0][1]
    assert proposed["volunteer_email"] == "sabine.hoffmann@example.org"
    assert proposed["volunteer_language"] == "de"
    assert proposed["score"] == 0.9
    assert events[-1][1]["reason"] == "candidates_exhausted"


async def test_turkish_accompaniment_in_chorweiler_goes_to_a_turkish_speaker(
    volunteering: Running, infrastructure, bearer
) -> None:
    coordinator = bearer("coordinator", "koeln-chorweiler")
    case = case_opened(
        "koeln-chorweiler",
        language=Language.TR,
        postal_code="50767",
        needs=[(NeedType.ACCOMPANIMENT, None), (NeedType.DOCTOR_REFERRAL, None)],
    )
    await publish(infrastructure.kafka.bootstrap_servers, case)
    [match] = await eventually(
        lambda: matches_of(volunteering, coordinator, case.case_id), until=lambda m: len(m) == 1
    )
    assert match["volunteer_given_name"] == "Mehmet"
    volunteer = await volunteering.client.get(
        f"/v1/volunteers/{match['volunteer_id']}", headers=coordinator
    )
    assert "tr" in volunteer.json()["languages"]
    language = next(r for r in match["reasons"] if r["criterion"] == "language")
    assert language["points"] == language["weight"]
    assert "Turkish" in language["explanation"]

    mehmet = bearer("volunteer", "koeln-chorweiler", volunteer_id=match["volunteer_id"])
    accepted = await volunteering.client.post(
        f"/v1/matches/{match['match_id']}/accept", headers=mehmet
    )
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["status"] == "accepted"
    again = await volunteering.client.post(
        f"/v1/matches/{match['match_id']}/decline", headers=coordinator
    )
    assert again.status_code == 409
    events = await outbox(volunteering.app.state.context.database, case.case_id)
    assert [kind for kind, _ in events] == ["match.proposed.v1", "match.accepted.v1"]
    assert events[0][1]["volunteer_language"] == "tr"
    assert events[1][1]["volunteer_given_name"] == "Mehmet"

    # The client withdraws consent: the accepted match ends, explanations go (they quote the
    # client's postal code), the numbers stay for statistics.
    erased = CaseErased(case_id=case.case_id, site=case.site)
    await publish(infrastructure.kafka.bootstrap_servers, erased)
    [withdrawn] = await eventually(
        lambda: matches_of(volunteering, coordinator, case.case_id),
        until=lambda m: m[0]["status"] == "withdrawn",
    )
    assert {r["explanation"] for r in withdrawn["reasons"]} == {"erased"}
    assert withdrawn["score"] == match["score"]


async def test_same_event_twice_gives_one_proposal_and_no_consent_gives_none(
    volunteering: Running, infrastructure, bearer
) -> None:
    bootstrap = infrastructure.kafka.bootstrap_servers
    coordinator = bearer("coordinator", "zwenkau")
    case = case_opened("zwenkau", postal_code="04442", needs=[(NeedType.VOLUNTEER_VISIT, None)])
    await publish(bootstrap, envelope_of(case, event_id="once"), topic=case.topic)
    await publish(bootstrap, envelope_of(case, event_id="once"), topic=case.topic)
    # Intake re-sending the case under a new event id must not propose a second volunteer.
    await publish(bootstrap, envelope_of(case, event_id="resent"), topic=case.topic)
    private = case_opened(
        "zwenkau",
        needs=[(NeedType.VOLUNTEER_VISIT, None), (NeedType.DAY_CARE, None)],
        share_with_volunteers=False,
    )
    await publish(bootstrap, private)

    database = volunteering.app.state.context.database
    events = await eventually(lambda: outbox(database, private.case_id), until=lambda e: len(e) > 0)
    assert events == [
        (
            "match.unfilled.v1",
            {
                "case_id": str(private.case_id),
                "need_id": str(private.needs[0].need_id),
                "site": "zwenkau",
                "need_type": "volunteer_visit",
                "reason": "no_consent",
            },
        )
    ]
    assert await matches_of(volunteering, coordinator, private.case_id) == []
    await eventually(lambda: matches_of(volunteering, coordinator, case.case_id))
    # "resent" shares the case's partition, so once the other case is done, so is it.
    await eventually(lambda: _inbox_has(database, "resent"))
    assert len(await matches_of(volunteering, coordinator, case.case_id)) == 1
    assert [k for k, _ in await outbox(database, case.case_id)] == ["match.proposed.v1"]


async def _inbox_has(database, event_id: str) -> bool:
    from sqlalchemy import text

    async with database.unit_of_work() as session:
        found = await session.execute(
            text("SELECT 1 FROM inbox WHERE event_id = :id"), {"id": event_id}
        )
        return found.first() is not None


async def test_match_endpoints_need_a_token_a_role_and_the_site(
    volunteering: Running, bearer
) -> None:
    client = volunteering.client
    assert (await client.get("/v1/matches")).status_code == 401
    assert (
        await client.get("/v1/matches", headers=bearer("volunteer", "muenster"))
    ).status_code == 403
    other_site = await client.get(
        "/v1/matches", params={"site": "muenster"}, headers=bearer("coordinator", "zwenkau")
    )
    assert other_site.status_code == 403
    assert (
        await client.get(
            "/v1/matches", params={"site": "muenster"}, headers=bearer("care_staff", "muenster")
        )
    ).status_code == 200
    unknown = uuid.uuid4()
    assert (await client.post(f"/v1/matches/{unknown}/accept")).status_code == 401
    assert (
        await client.post(f"/v1/matches/{unknown}/accept", headers=bearer("care_staff", "muenster"))
    ).status_code == 403
    missing = await client.post(
        f"/v1/matches/{unknown}/decline", headers=bearer("coordinator", "muenster")
    )
    assert missing.status_code == 404
    assert missing.headers["content-type"] == "application/problem+json"
    assert (
        await client.get(f"/v1/matches/{unknown}", headers=bearer("coordinator", "muenster"))
    ).status_code == 404
    assert (
        await client.get(
            "/v1/matches", params={"status": "maybe"}, headers=bearer("coordinator", "muenster")
        )
    ).status_code == 422


async def test_volunteers_are_validated_and_only_shown_to_their_site(
    volunteering: Running, bearer
) -> None:
    client = volunteering.client
    coordinator = bearer("coordinator", "muenster")
    before = await client.get("/v1/volunteers", params={"site": "muenster"}, headers=coordinator)
    assert before.status_code == 200
    assert {v["site"] for v in before.json()} == {"muenster"}
    count = len(before.json())

    invalid = [
        {"email": "not-an-address"},
        {"languages": ["xx"]},
        {"languages": []},
        {"languages": ["de", "de"]},
        {"skills": ["gardening"]},
        {"postal_code": "4814"},
        {"postal_code": "48 14"},
        {"max_load": 0},
        {"max_load": 21},
        {"weekdays": ["monday"]},
        {"certificate_of_conduct_expires_on": "2026-13-01"},
        {"certificate_of_conduct_expires_on": "2199-01-01"},
        {"given_name": "   "},
        {"role": "admin"},
        {"certificate_of_conduct_expires_on": (date.today() + timedelta(days=4000)).isoformat()},
    ]
    for change in invalid:
        response = await client.post(
            "/v1/volunteers", json=volunteer_body(**change), headers=coordinator
        )
        assert response.status_code == 422, (change, response.text)
        problem = response.json()
        assert response.headers["content-type"] == "application/problem+json"
        assert problem["errors"], change
        assert "not-an-address" not in response.text  # values are never echoed
    # A site the deployment does not serve, even for someone allowed everywhere.
    nowhere = await client.post(
        "/v1/volunteers", json=volunteer_body(site="atlantis"), headers=bearer("site_admin", "*")
    )
    assert nowhere.status_code == 422
    assert nowhere.json()["errors"][0]["loc"] == ["body", "site"]
    after = await client.get("/v1/volunteers", params={"site": "muenster"}, headers=coordinator)
    assert len(after.json()) == count

    body = volunteer_body()
    assert (await client.post("/v1/volunteers", json=body)).status_code == 401
    assert (
        await client.post("/v1/volunteers", json=body, headers=bearer("care_staff", "muenster"))
    ).status_code == 403
    assert (
        await client.post("/v1/volunteers", json=body, headers=bearer("coordinator", "zwenkau"))
    ).status_code == 403
    created = await client.post("/v1/volunteers", json=body, headers=coordinator)
    assert created.status_code == 201, created.text
    volunteer = created.json()
    assert created.headers["location"] == f"/v1/volunteers/{volunteer['id']}"
    assert volunteer["languages"] == ["de", "en"]
    duplicate = await client.post(
        "/v1/volunteers", json=body, headers=bearer("site_admin", "muenster")
    )
    assert duplicate.status_code == 409

    url = f"/v1/volunteers/{volunteer['id']}"
    assert (await client.get(url, headers=bearer("site_admin", "muenster"))).json() == volunteer
    assert (await client.get(url, headers=bearer("coordinator", "zwenkau"))).status_code == 403
    assert (await client.get(url, headers=bearer("care_staff", "muenster"))).status_code == 403
    assert (await client.get(url, headers=bearer("volunteer", "muenster"))).status_code == 403
    assert (
        await client.get(f"/v1/volunteers/{uuid.uuid4()}", headers=coordinator)
    ).status_code == 404
    mine = await client.get("/v1/volunteers", headers=coordinator)
    assert {v["site"] for v in mine.json()} == {"muenster"}
    everyone = await client.get("/v1/volunteers", headers=bearer("platform_admin", "*"))
    assert everyone.status_code == 403  # personal data: coordinators and site admins only
    network = await client.get("/v1/volunteers", headers=bearer("site_admin", "*"))
    assert {v["site"] for v in network.json()} == {
        "muenster",
        "zwenkau",
        "kaiserslautern",
        "koeln-chorweiler",
    }


async def test_concurrent_answers_to_one_proposal_have_one_winner(
    volunteering: Running, infrastructure, bearer
) -> None:
    coordinator = bearer("coordinator", "muenster")
    case = case_opened("muenster", postal_code="48147", needs=[(NeedType.VOLUNTEER_VISIT, None)])
    await publish(infrastructure.kafka.bootstrap_servers, case)
    [match] = await eventually(
        lambda: matches_of(volunteering, coordinator, case.case_id), until=lambda m: len(m) == 1
    )
    url = f"/v1/matches/{match['match_id']}"
    volunteer = bearer("volunteer", "muenster", volunteer_id=match["volunteer_id"])
    answers = await asyncio.gather(
        volunteering.client.post(f"{url}/accept", headers=volunteer),
        volunteering.client.post(f"{url}/decline", headers=coordinator),
        volunteering.client.post(f"{url}/accept", headers=coordinator),
    )
    assert sorted(a.status_code for a in answers) == [200, 409, 409]
    kinds = [
        kind for kind, _ in await outbox(volunteering.app.state.context.database, case.case_id)
    ]
    answered = [k for k in kinds if k in {"match.accepted.v1", "match.declined.v1"}]
    assert len(answered) == 1
