"""GET /v1/cases: newest first, filtered, paged, and only the caller's sites."""

from datetime import timedelta

from fastapi import FastAPI

from cq_shared.clock import FixedClock

from .support import emergency, rows


async def test_cases_are_listed_by_site_filter_and_page(
    serve, bearer, app: FastAPI, clock: FixedClock
) -> None:
    everywhere = bearer("coordinator", "*")
    kaiserslautern = bearer("care_staff", "kaiserslautern")
    zwenkau = bearer("site_admin", "zwenkau")
    requests = [
        emergency(),
        emergency(urgency="routine"),
        emergency("zwenkau"),
        emergency(),
    ]
    async with serve(app) as client:
        created = []
        for body in requests:
            clock.set(clock.now() + timedelta(minutes=1))  # distinct times, a known order
            response = await client.post("/v1/requests", json=body, headers=everywhere)
            assert response.status_code == 201, response.text
            created.append(response.json()["case_id"])
        # As if scheduling had reported no capacity for the first case (tested elsewhere).
        await rows(
            app,
            "UPDATE cases SET status = 'needs_attention' WHERE id = :id RETURNING 1",
            id=created[0],
        )

        async def listed(headers: dict[str, str], query: str = "") -> dict:
            response = await client.get(f"/v1/cases{query}", headers=headers)
            assert response.status_code == 200, response.text
            return dict(response.json())

        page = await listed(kaiserslautern)
        newest_first = [created[3], created[1], created[0]]
        assert [item["case_id"] for item in page["items"]] == newest_first
        assert (page["total"], page["limit"], page["offset"]) == (3, 50, 0)
        first = page["items"][0]
        assert set(first) == {
            "case_id",
            "site",
            "status",
            "urgency",
            "channel",
            "created_at",
            "updated_at",
        }

        assert [i["case_id"] for i in (await listed(kaiserslautern, "?limit=2"))["items"]] == (
            newest_first[:2]
        )
        rest = await listed(kaiserslautern, "?limit=2&offset=2")
        assert ([i["case_id"] for i in rest["items"]], rest["total"]) == ([created[0]], 3)
        urgent = await listed(kaiserslautern, "?urgency=emergency")
        assert [i["case_id"] for i in urgent["items"]] == [created[3], created[0]]
        attention = await listed(kaiserslautern, "?status=needs_attention")
        assert [i["case_id"] for i in attention["items"]] == [created[0]]

        assert [i["case_id"] for i in (await listed(zwenkau))["items"]] == [created[2]]
        assert (await listed(everywhere))["total"] == 4
        assert (await listed(everywhere, "?site=zwenkau"))["total"] == 1

        forbidden = await client.get("/v1/cases?site=zwenkau", headers=kaiserslautern)
        assert forbidden.status_code == 403
        for query in ("?limit=0", "?limit=201", "?offset=-1", "?status=closed"):
            invalid = await client.get(f"/v1/cases{query}", headers=kaiserslautern)
            assert invalid.status_code == 422, query
        # Issue 11 (decision 0013): a list shows health data too, so each leaves one audit row
        # per case it showed (3+2+1+2+1+1+4+1 above); refused lists leave none.
        trail = await rows(
            app, "SELECT action, count(*) AS n FROM audit_events GROUP BY action ORDER BY action"
        )
        assert [(row.action, row.n) for row in trail] == [("create", 4), ("list", 15)]
