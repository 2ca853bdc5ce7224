"""Issue 11's audit trail in intake: creating, reading and listing cases leave records a
data protection officer of the site reads at GET /v1/audit, with no health data in them."""

from datetime import timedelta

from fastapi import FastAPI

from cq_shared.clock import FixedClock
from cq_testing.audit import audit_trail, summary

from .conftest import NOW
from .support import emergency

COORDINATOR = "dev-coordinator-kaiserslautern"
DPO = "dev-data_protection_officer-kaiserslautern"


async def test_case_accesses_are_audited_for_the_sites_dpo_only(
    serve, bearer, app: FastAPI, clock: FixedClock
) -> None:
    coordinator = bearer("coordinator", "kaiserslautern")
    dpo = bearer("data_protection_officer", "kaiserslautern")
    body = emergency()
    async with serve(app) as client:
        created = await client.post("/v1/requests", json=body, headers=coordinator)
        assert created.status_code == 201, created.text
        case_id = created.json()["case_id"]
        clock.set(NOW + timedelta(minutes=1))
        assert (await client.get(f"/v1/cases/{case_id}", headers=coordinator)).status_code == 200
        clock.set(NOW + timedelta(minutes=2))
        assert (await client.get("/v1/cases", headers=coordinator)).status_code == 200

        clock.set(NOW + timedelta(minutes=3))
        trail = await audit_trail(client, dpo, case_id=case_id)
        assert summary(trail) == [
            (COORDINATOR, "list", "case", "kaiserslautern", "case_work"),
            (COORDINATOR, "read", "case", "kaiserslautern", "case_work"),
            (COORDINATOR, "create", "case", "kaiserslautern", "case_work"),
        ]
        assert [r["occurred_at"] for r in trail] == [
            (NOW + timedelta(minutes=minutes)).isoformat().replace("+00:00", "Z")
            for minutes in (2, 1, 0)
        ]
        assert {(r["case_id"], tuple(r["roles"])) for r in trail} == {(case_id, ("coordinator",))}
        # Nothing of the request itself: no names, birth date, note or address.
        text = str(trail)
        client_data = body["client"]
        for secret in (client_data["given_name"], client_data["family_name"], "Demenz"):
            assert secret not in text
        assert client_data["birth_date"] not in text

        # The officer's own reading is on the trail too (recorded after its search).
        again = await audit_trail(client, dpo, case_id=case_id)
        assert summary(again)[0] == (
            DPO,
            "read",
            "audit",
            "kaiserslautern",
            "data_protection_review",
        )
        assert again[0]["roles"] == ["data_protection_officer"]
        assert again[1:] == trail

        # A time window: from inclusive, to exclusive.
        window = {"from": (NOW + timedelta(minutes=1)).isoformat(), "case_id": case_id}
        window["to"] = (NOW + timedelta(minutes=2)).isoformat()
        assert summary(await audit_trail(client, dpo, **window)) == [
            (COORDINATOR, "read", "case", "kaiserslautern", "case_work")
        ]

        # Only the data protection role reads the trail.
        for role in ("coordinator", "site_admin", "platform_admin"):
            refused = await client.get("/v1/audit", headers=bearer(role, "*"))
            assert refused.status_code == 403, role
            assert refused.headers["content-type"] == "application/problem+json"
        # Another site's officer sees nothing of this site, and may not ask for it.
        zwenkau = bearer("data_protection_officer", "zwenkau")
        assert await audit_trail(client, zwenkau, case_id=case_id) == []
        foreign = await client.get("/v1/audit?site=kaiserslautern", headers=zwenkau)
        assert foreign.status_code == 403
        # An officer of every site sees every site's: the three accesses and the four reads
        # of the trail about this case, the Zwenkau officer's (recorded at Zwenkau) among them.
        everywhere = bearer("data_protection_officer", "*")
        seen = await audit_trail(client, everywhere, case_id=case_id)
        assert seen[4:] == trail
        assert [(r["actor"], r["site"], r["resource"]) for r in seen[:4]] == [
            ("dev-data_protection_officer-zwenkau", "zwenkau", "audit"),
            *[(DPO, "kaiserslautern", "audit")] * 3,
        ]


async def test_bad_audit_queries_are_problems(serve, bearer, app: FastAPI) -> None:
    dpo = bearer("data_protection_officer", "kaiserslautern")
    async with serve(app) as client:
        for query in (
            "?limit=0",
            "?limit=501",
            "?case_id=not-a-uuid",
            "?from=2025-06-02T08:00:00",  # no offset: not an instant
            "?from=1999-12-31T00:00:00Z",
            "?from=2025-06-02T09:00:00Z&to=2025-06-02T08:00:00Z",
            "?site=Not%20a%20site",
        ):
            refused = await client.get(f"/v1/audit{query}", headers=dpo)
            assert refused.status_code == 422, query
            assert refused.headers["content-type"] == "application/problem+json", query
        assert (await client.get("/v1/audit")).status_code == 401
