"""Issue 11's audit trail in volunteering: listing and reading a case's matches and a
volunteer's answer leave records the site's data protection officer reads at GET /v1/audit
(decision 0013)."""

from datetime import date, timedelta

from cq_shared.contracts import NeedType
from cq_testing import eventually, publish
from cq_testing.audit import audit_trail, summary

from .conftest import Running
from .support import case_opened

KL = "kaiserslautern"
COORDINATOR = "dev-coordinator-kaiserslautern"


async def test_a_cases_matches_are_audited_for_the_sites_dpo_only(
    volunteering: Running, infrastructure, bearer
) -> None:
    client = volunteering.client
    coordinator = bearer("coordinator", KL)
    dpo = bearer("data_protection_officer", KL)
    case = case_opened(
        KL, postal_code="67655", needs=[(NeedType.VOLUNTEER_VISIT, date.today() + timedelta(7))]
    )
    await publish(infrastructure.kafka.bootstrap_servers, case)

    async def matches() -> list[dict]:
        response = await client.get(f"/v1/matches?case_id={case.case_id}", headers=coordinator)
        assert response.status_code == 200, response.text
        return list(response.json())

    [match] = await eventually(matches, "the proposal", until=lambda found: len(found) == 1)
    shown = await client.get(f"/v1/matches/{match['match_id']}", headers=coordinator)
    assert shown.status_code == 200, shown.text
    volunteer = bearer("volunteer", KL, volunteer_id=match["volunteer_id"])
    accepted = await client.post(f"/v1/matches/{match['match_id']}/accept", headers=volunteer)
    assert accepted.status_code == 200, accepted.text

    trail = await audit_trail(client, dpo, case_id=str(case.case_id))
    answered, read, listed = trail
    assert summary([read, listed]) == [
        (COORDINATOR, action, "match", KL, "volunteer_matching") for action in ("read", "list")
    ]
    assert (answered["action"], answered["resource"], answered["roles"]) == (
        "update",
        "match",
        ["volunteer"],
    )
    assert answered["actor"] != COORDINATOR
    assert {r["case_id"] for r in trail} == {str(case.case_id)}
    assert read["roles"] == listed["roles"] == ["coordinator"]
    assert answered["occurred_at"] >= read["occurred_at"] >= listed["occurred_at"]
    # Nothing of the match (who helps, why: the reasons quote postal code and language); the
    # volunteer is named only by their token's subject.
    for secret in (match["volunteer_given_name"], "67655", "German"):
        assert secret not in str(trail)

    assert (await client.get("/v1/audit", headers=coordinator)).status_code == 403
    assert (await client.get("/v1/audit", headers=volunteer)).status_code == 403
    zwenkau = bearer("data_protection_officer", "zwenkau")
    assert await audit_trail(client, zwenkau, case_id=str(case.case_id)) == []
    assert (await client.get(f"/v1/audit?site={KL}", headers=zwenkau)).status_code == 403
