"""Issue 10's HTTP contract on the demo plan: an absence opens gaps that are offered at once
to people who keep every rule; the offered person (or a coordinator) accepts or declines;
bad input gets a problem and writes nothing; two absences at the same moment never offer
one person two conflicting gaps."""

import asyncio

from cq_shared.db.database import Database
from cq_shared.settings import DatabaseSettings
from cq_testing import count, rows

from .staffing_support import KL, member, rest_kept, work_of_everyone

PETRA = member("petra-klein")  # ambulant, Pflegefachkraft, 39 h
WRITTEN = (
    "SELECT (SELECT count(*) FROM absences) + (SELECT count(*) FROM shift_gaps) "
    "+ (SELECT count(*) FROM shift_offers) + (SELECT count(*) FROM outbox "
    "WHERE topic = 'scheduling.staffing')"
)


async def test_an_absence_becomes_gaps_offered_and_answered(
    serve, demo_app, bearer, fresh_database_url: str
) -> None:
    coordinator = bearer("coordinator", KL)
    async with serve(demo_app) as client:
        plan = await client.get(
            f"/v1/sites/{KL}/shifts",
            params={"from": "2030-03-05", "to": "2030-03-07", "staff_id": str(PETRA)},
            headers=coordinator,
        )
        assert plan.status_code == 200, plan.text
        assert plan.json(), "Petra works in the demo plan"
        assert set(plan.json()[0]) >= {
            "shift_id",
            "unit",
            "start",
            "end",
            "required_qualification",
            "staff_id",
            "status",
        }
        reported = await client.post(
            f"/v1/staff/{PETRA}/absences",
            json={"from": "2030-03-05", "to": "2030-03-07", "reason": "illness"},
            headers=coordinator,
        )
        assert reported.status_code == 201, reported.text
        gaps = reported.json()["gaps"]
        assert {g["shift_id"] for g in gaps} == {s["shift_id"] for s in plan.json()}
        listed = (await client.get(f"/v1/sites/{KL}/shift-gaps", headers=coordinator)).json()
        assert {g["gap_id"] for g in listed} == {g["gap_id"] for g in gaps}
        for gap in listed:
            assert set(gap) >= {"gap_id", "shift_id", "status", "offered_to", "reasons"}
            assert gap["status"] in {"offered", "unfilled"}
            assert gap["offered_to"] != str(PETRA)
            assert gap["reasons"]
        offered = [g for g in listed if g["status"] == "offered"]
        assert offered, "the pool can cover a gap"
        first = offered[0]
        mine = bearer("care_staff", KL, staff_id=first["offered_to"])
        someone_else = bearer("care_staff", KL, staff_id=str(member("lukas-braun")))
        url = f"/v1/shift-offers/{first['offer_id']}"
        refused = await client.post(f"{url}/accept", headers=someone_else)
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")
        assert (await client.post(f"{url}/decline", headers=someone_else)).status_code == 403
        accepted = await client.post(f"{url}/accept", headers=mine)
        assert accepted.status_code == 200, accepted.text
        again = await client.post(f"{url}/accept", headers=mine)
        assert again.status_code == 409
        after = await client.get(
            f"/v1/sites/{KL}/shifts",
            params={"from": "2030-03-05", "to": "2030-03-07", "staff_id": first["offered_to"]},
            headers=coordinator,
        )
        assert first["shift_id"] in {s["shift_id"] for s in after.json()}
        filled = (
            await client.get(f"/v1/sites/{KL}/shift-gaps?status=filled", headers=coordinator)
        ).json()
        assert [g["gap_id"] for g in filled] == [first["gap_id"]]
        if len(offered) > 1:  # a coordinator declines for the person: the next one is asked
            second = offered[1]
            declined = await client.post(
                f"/v1/shift-offers/{second['offer_id']}/decline", headers=coordinator
            )
            assert declined.status_code == 200, declined.text
            moved = {
                g["gap_id"]: g
                for g in (
                    await client.get(f"/v1/sites/{KL}/shift-gaps", headers=coordinator)
                ).json()
            }[second["gap_id"]]
            assert moved["offered_to"] != second["offered_to"]
            assert moved["status"] in {"offered", "unfilled"}
    database = Database(DatabaseSettings(url=fresh_database_url, pool_size=2))
    told = await rows(
        database,
        "SELECT event_type FROM outbox WHERE subject = :gap ORDER BY id",
        gap=first["gap_id"],
    )
    assert [t.rsplit(".", 2)[-2] for (t,) in told] == ["opened", "offered", "filled"]
    assert rest_kept(sorted((await work_of_everyone(database))[first["offered_to"]]))
    await database.dispose()


async def test_bad_absences_get_a_problem_and_write_nothing(
    serve, demo_app, bearer, fresh_database_url: str
) -> None:
    coordinator = bearer("coordinator", KL)
    async with serve(demo_app) as client:
        database = Database(DatabaseSettings(url=fresh_database_url, pool_size=2))
        before = await count(database, WRITTEN)
        backwards = await client.post(
            f"/v1/staff/{PETRA}/absences",
            json={"from": "2030-03-07", "to": "2030-03-05", "reason": "illness"},
            headers=coordinator,
        )
        assert backwards.status_code == 422, backwards.text
        unknown = await client.post(
            f"/v1/staff/{member('nobody')}/absences",
            json={"from": "2030-03-05", "to": "2030-03-05", "reason": "illness"},
            headers=coordinator,
        )
        assert unknown.status_code == 404, unknown.text
        elsewhere = await client.post(
            f"/v1/staff/{PETRA}/absences",
            json={"from": "2030-03-05", "to": "2030-03-05", "reason": "illness"},
            headers=bearer("coordinator", "muenster"),
        )
        assert elsewhere.status_code == 403, elsewhere.text
        carer = await client.post(
            f"/v1/staff/{PETRA}/absences",
            json={"from": "2030-03-05", "to": "2030-03-05", "reason": "illness"},
            headers=bearer("care_staff", KL, staff_id=str(PETRA)),
        )
        assert carer.status_code == 403, carer.text
        for response in (backwards, unknown, elsewhere, carer):
            assert response.headers["content-type"].startswith("application/problem+json")
        assert await count(database, WRITTEN) == before
        await database.dispose()


async def test_two_absences_at_the_same_moment_never_offer_one_person_conflicting_gaps(
    serve, demo_app, bearer, fresh_database_url: str
) -> None:
    coordinator = bearer("coordinator", KL)
    absent = [member("petra-klein"), member("andrea-wolf"), member("tobias-schmitt")]
    async with serve(demo_app) as client:
        answers = await asyncio.gather(
            *(
                client.post(
                    f"/v1/staff/{staff_id}/absences",
                    json={"from": "2030-03-05", "to": "2030-03-08", "reason": "illness"},
                    headers=coordinator,
                )
                for staff_id in absent
            )
        )
        assert [a.status_code for a in answers] == [201] * len(absent)
    database = Database(DatabaseSettings(url=fresh_database_url, pool_size=2))
    assert await count(database, "SELECT count(*) FROM shift_offers") > 0
    for staff_id, periods in (await work_of_everyone(database)).items():
        assert rest_kept(periods), f"{staff_id} holds shifts and offers that conflict"
    await database.dispose()
