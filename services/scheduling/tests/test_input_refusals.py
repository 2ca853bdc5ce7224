"""Date-times a probe from outside turned into 500s (or silently accepted), now refused with
a 422 naming the field, and nothing written: instants whose conversion to UTC overflows,
manual bookings in 2001 or 9999, and slot windows at the end of the calendar."""

from cq_testing import count, rows

from .support import KL, NOW, a_week_in_the_guest_apartment


async def test_manual_bookings_outside_the_horizon_are_refused(serve, bearer, demo_app) -> None:
    coordinator = bearer("coordinator", KL)
    async with serve(demo_app) as client:
        database = demo_app.state.context.database
        good = await a_week_in_the_guest_apartment(client, coordinator)
        refused = [
            # (start, end, the field named): each was a 500 or accepted before.
            ("0001-01-01T00:00:00+14:00", good["end"], "start"),  # before year 1 in UTC
            (good["start"], "9999-12-31T23:00:00-02:00", "end"),  # year 10000 in UTC
            ("9999-12-30T00:00:00Z", "9999-12-31T00:00:00Z", "start"),
            ("2001-03-10T12:00:00+01:00", "2001-03-17T12:00:00+01:00", "start"),  # 29 years ago
            ("2025-03-10T12:00:00+01:00", "2025-03-17T12:00:00+01:00", "start"),  # in the past
            ("2032-03-10T12:00:00+01:00", "2032-03-17T12:00:00+01:00", "start"),  # 2 years ahead
            ("1999-12-31T23:00:00Z", good["end"], "start"),
        ]
        for start, end, field in refused:
            body = {**good, "start": start, "end": end}
            answer = await client.post("/v1/bookings", json=body, headers=coordinator)
            assert answer.status_code == 422, (start, end, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert ["body", field] in [e["loc"] for e in answer.json()["errors"]], answer.text
        assert await count(database, "SELECT count(*) FROM bookings") == 0
        # The demo course's public figures, written at start-up, are the only event.
        # The demo staff members' records (scheduling.staffing), also written at start-up, aside.
        written = await rows(
            database, "SELECT topic FROM outbox WHERE topic <> 'scheduling.staffing'"
        )
        assert [topic for (topic,) in written] == ["public.courses.v1"]

        # The horizon is the service clock's (support.NOW), not the wall clock's.
        assert NOW.year == 2030
        booked = await client.post("/v1/bookings", json=good, headers=coordinator)
        assert booked.status_code == 201, booked.text


async def test_slot_windows_at_the_end_of_the_calendar_are_refused(serve, bearer, demo_app) -> None:
    coordinator = bearer("coordinator", KL)
    async with serve(demo_app) as client:
        for window in [
            {"from": "9999-12-31T00:00:00Z"},  # + 14 days overflowed: a 500
            {"from": "9999-12-31T00:00:00Z", "to": "9999-12-31T01:00:00Z"},
            {"to": "9999-12-31T23:00:00-02:00"},
            {"from": "0001-01-01T00:00:00+14:00"},
            {"from": "0001-01-01T00:00:00-12:00", "to": "0001-01-02T00:00:00-12:00"},
        ]:
            answer = await client.get(f"/v1/sites/{KL}/slots", params=window, headers=coordinator)
            assert answer.status_code == 422, (window, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            named = [e["loc"] for e in answer.json()["errors"]]
            assert any(loc[0] == "query" and loc[1] in window for loc in named), named
        ordinary = await client.get(
            f"/v1/sites/{KL}/slots", params={"from": NOW.isoformat()}, headers=coordinator
        )
        assert ordinary.status_code == 200, ordinary.text
