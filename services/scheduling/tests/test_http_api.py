"""The HTTP API: tokens, site scoping, validation, and the demo sites' inventory."""

import uuid

from cq_scheduling.demo import load_demo_data
from cq_shared.contracts.scheduling import BookingConfirmed
from cq_testing import count, outbox_of, rows

from .support import KL, a_week_in_the_guest_apartment


async def test_refuses_missing_tokens_other_sites_and_bad_input_writing_nothing(
    serve, bearer, demo_app
) -> None:
    coordinator = bearer("coordinator", KL)
    async with serve(demo_app) as client:
        database = demo_app.state.context.database
        [place, *_] = (
            await client.get(
                "/v1/sites/zwenkau/resources", headers=bearer("coordinator", "zwenkau")
            )
        ).json()
        good = await a_week_in_the_guest_apartment(client, coordinator)

        assert (await client.get("/v1/bookings")).status_code == 401
        assert (await client.post("/v1/bookings", json=good)).status_code == 401
        other_site = bearer("coordinator", "zwenkau")
        assert (await client.post("/v1/bookings", json=good, headers=other_site)).status_code == 403
        assert (await client.get(f"/v1/bookings?site={KL}", headers=other_site)).status_code == 403
        assert (await client.get(f"/v1/sites/{KL}/staff", headers=other_site)).status_code == 403
        carer = bearer("care_staff", KL)
        assert (await client.post("/v1/bookings", json=good, headers=carer)).status_code == 403
        volunteer = bearer("volunteer", KL)
        assert (await client.get("/v1/bookings", headers=volunteer)).status_code == 403

        bad_bodies = [
            {**good, "end": good["start"]},
            {**good, "start": "2030-03-10T12:00:00"},  # no time zone: ambiguous
            {**good, "resource_id": str(uuid.uuid4())},
            {**good, "resource_id": place["resource_id"]},  # Zwenkau's, not Kaiserslautern's
            {**good, "need_id": str(uuid.uuid4())},  # a need without its case
            {**good, "site": "Kaiserslautern!"},
        ]
        for body in bad_bodies:
            answer = await client.post("/v1/bookings", json=body, headers=coordinator)
            assert answer.status_code == 422, (body, answer.text)
            assert answer.headers["content-type"].startswith("application/problem+json")
        assert await count(database, "SELECT count(*) FROM bookings") == 0
        # The demo course's public figures, written at start-up, are the only event.
        # The demo staff members' records (scheduling.staffing), also written at start-up, aside.
        written = await rows(
            database, "SELECT topic FROM outbox WHERE topic <> 'scheduling.staffing'"
        )
        assert [topic for (topic,) in written] == ["public.courses.v1"]

        unknown = await client.post(f"/v1/bookings/{uuid.uuid4()}/cancel", headers=coordinator)
        assert unknown.status_code == 404
        everywhere = bearer("coordinator", "*")
        nowhere = await client.get("/v1/sites/atlantis/resources", headers=everywhere)
        assert nowhere.status_code == 404
        window = "from=2030-03-10T00:00:00Z&to=2030-03-09T00:00:00Z"
        slots = await client.get(f"/v1/sites/{KL}/slots?{window}", headers=coordinator)
        assert slots.status_code == 422

        # A booking for a case's need is announced; other sites do not see it.
        case_id, need_id = uuid.uuid4(), uuid.uuid4()
        made = await client.post(
            "/v1/bookings",
            json={**good, "case_id": str(case_id), "need_id": str(need_id)},
            headers=coordinator,
        )
        assert made.status_code == 201, made.text
        [(event_type, data)] = await outbox_of(database, case_id)
        assert event_type == BookingConfirmed.event_type
        assert data["booking_id"] == made.json()["booking_id"]
        assert (await client.get("/v1/bookings", headers=other_site)).json() == []
        [mine] = (await client.get("/v1/bookings", headers=coordinator)).json()
        assert mine["case_id"] == str(case_id)
        cancel = await client.post(f"/v1/bookings/{mine['booking_id']}/cancel", headers=other_site)
        assert cancel.status_code == 403


async def test_demo_sites_have_their_inventory_and_loading_it_again_changes_nothing(
    serve, bearer, demo_app
) -> None:
    async with serve(demo_app) as client:
        context = demo_app.state.context
        tables = ("resources", "staff", "counselling_slots")
        before = [await count(context.database, f"SELECT count(*) FROM {t}") for t in tables]
        await load_demo_data(context)
        after = [await count(context.database, f"SELECT count(*) FROM {t}") for t in tables]
        assert before == after
        assert before[2] > 0

        site = "koeln-chorweiler"
        staff = await client.get(f"/v1/sites/{site}/staff", headers=bearer("site_admin", site))
        assert staff.status_code == 200
        languages = {person["name"]: set(person["languages"]) for person in staff.json()}
        assert {"de", "tr"} <= languages["Ayşe Demir"]
        assert any("ar" in spoken for spoken in languages.values())
        places = await client.get(
            "/v1/sites/zwenkau/resources?type=day_care_place",
            headers=bearer("care_staff", "zwenkau"),
        )
        assert len(places.json()) == 12
