"""Nobody gets a shift during their own absence (review of issue 10): reporting an absence
withdraws the person's open offers within it and plans those gaps again; an accept re-checks
the rules against the person's roster as it is then, and a shift that would break one is
refused (409), its offer withdrawn and the gap moved on as after a decline."""

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from cq_shared.db.database import Database
from cq_shared.settings import DatabaseSettings
from cq_testing import outbox_of, rows

from .staffing_support import KL, member

PETRA = member("petra-klein")
ZONE = ZoneInfo("Europe/Berlin")


async def _an_offered_gap(client: Any, coordinator: dict[str, str]) -> dict[str, Any]:
    """Petra falls ill; one of her gaps as offered to a colleague."""
    reported = await client.post(
        f"/v1/staff/{PETRA}/absences",
        json={"from": "2030-03-05", "to": "2030-03-07", "reason": "illness"},
        headers=coordinator,
    )
    assert reported.status_code == 201, reported.text
    listed = (await client.get(f"/v1/sites/{KL}/shift-gaps", headers=coordinator)).json()
    offered = [g for g in listed if g["status"] == "offered"]
    assert offered, "the pool can cover a gap"
    gap: dict[str, Any] = offered[0]
    return gap


async def _gap(client: Any, coordinator: dict[str, str], gap_id: str) -> dict[str, Any]:
    listed = (await client.get(f"/v1/sites/{KL}/shift-gaps", headers=coordinator)).json()
    found: dict[str, Any] = {g["gap_id"]: g for g in listed}[gap_id]
    return found


async def _story(database: Database, gap_id: str) -> list[tuple[str, str | None]]:
    """The gap's events: kind and, for `ended`, the outcome."""
    return [
        (w.event_type.rsplit(".", 2)[-2], w.data.get("outcome"))
        for w in await outbox_of(database, gap_id)
    ]


async def _holds_during(database: Database, staff_id: str, gap: dict[str, Any]) -> int:
    """The person's assigned shifts and open offers overlapping the gap's shift."""
    found = await rows(
        database,
        "SELECT count(*) FROM (SELECT starts_at, ends_at FROM shifts WHERE staff_id = :staff "
        "UNION ALL SELECT starts_at, ends_at FROM shift_offers WHERE staff_id = :staff "
        "AND status = 'offered') w WHERE w.starts_at < :end AND w.ends_at > :start",
        staff=staff_id,
        start=datetime.fromisoformat(gap["start"]),
        end=datetime.fromisoformat(gap["end"]),
    )
    return int(found[0][0])


async def test_an_absence_withdraws_the_persons_open_offers_within_it(
    serve, demo_app, bearer, fresh_database_url: str
) -> None:
    coordinator = bearer("coordinator", KL)
    database = Database(DatabaseSettings(url=fresh_database_url, pool_size=2))
    async with serve(demo_app) as client:
        gap = await _an_offered_gap(client, coordinator)
        nurse = gap["offered_to"]
        day = datetime.fromisoformat(gap["start"]).astimezone(ZONE).date().isoformat()
        ill = await client.post(
            f"/v1/staff/{nurse}/absences",
            json={"from": day, "to": day, "reason": "illness"},
            headers=coordinator,
        )
        assert ill.status_code == 201, ill.text
        assert [
            tuple(r)
            for r in await rows(
                database, "SELECT status FROM shift_offers WHERE id = :id", id=gap["offer_id"]
            )
        ] == [("withdrawn",)]
        moved = await _gap(client, coordinator, gap["gap_id"])
        assert moved["offered_to"] != nurse
        assert moved["status"] in {"offered", "unfilled"}
        late = await client.post(
            f"/v1/shift-offers/{gap['offer_id']}/accept",
            headers=bearer("care_staff", KL, staff_id=nurse),
        )
        assert late.status_code == 409, late.text
        assert await _holds_during(database, nurse, gap) == 0
    story = await _story(database, gap["gap_id"])
    assert story[:3] == [("opened", None), ("offered", None), ("ended", "withdrawn")]
    assert story[3][0] in {"offered", "unfilled"}
    await database.dispose()


async def test_an_accept_that_would_break_a_rule_is_refused_and_the_gap_moves_on(
    serve, demo_app, bearer, fresh_database_url: str
) -> None:
    coordinator = bearer("coordinator", KL)
    database = Database(DatabaseSettings(url=fresh_database_url, pool_size=2))
    async with serve(demo_app) as client:
        gap = await _an_offered_gap(client, coordinator)
        nurse = gap["offered_to"]
        # An absence written without withdrawing the offer (as before this fix): the offer
        # is still open although its shift lies in the person's absence.
        await rows(
            database,
            "INSERT INTO absences (id, site, staff_id, starts_at, ends_at, reason, reported_at) "
            "VALUES (gen_random_uuid(), :site, :staff, :start, :end, 'illness', :start) "
            "RETURNING id",
            site=KL,
            staff=nurse,
            start=datetime.fromisoformat(gap["start"]),
            end=datetime.fromisoformat(gap["end"]),
        )
        refused = await client.post(
            f"/v1/shift-offers/{gap['offer_id']}/accept",
            headers=bearer("care_staff", KL, staff_id=nurse),
        )
        assert refused.status_code == 409, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert "overlap" in refused.json()["detail"]
        # The refusal's own changes stand: the offer withdrawn, the gap offered on.
        assert [
            tuple(r)
            for r in await rows(
                database, "SELECT status FROM shift_offers WHERE id = :id", id=gap["offer_id"]
            )
        ] == [("withdrawn",)]
        moved = await _gap(client, coordinator, gap["gap_id"])
        assert moved["offered_to"] != nurse
        assert moved["status"] in {"offered", "unfilled"}
        assert await _holds_during(database, nurse, gap) == 0
        again = await client.post(f"/v1/shift-offers/{gap['offer_id']}/accept", headers=coordinator)
        assert again.status_code == 409, again.text
    story = await _story(database, gap["gap_id"])
    assert story[:3] == [("opened", None), ("offered", None), ("ended", "withdrawn")]
    assert story[3][0] in {"offered", "unfilled"}
    await database.dispose()
