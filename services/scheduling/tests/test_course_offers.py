"""Policy `offer`: a freed place is held for the first person waiting; declining, or the hold
running out (a durable timer), moves it to the next; accepting confirms it."""

from datetime import datetime, timedelta

from cq_shared.clock import FixedClock
from cq_testing import count, eventually

from .courses_support import MS, a_course, registered, registrations, told
from .support import NOW

HOLD = timedelta(hours=48)


async def _full_course_with_three_waiting(client, bearer) -> tuple[str, list[dict]]:
    course_id = await a_course(client, bearer("site_admin", MS), 1, promotion="offer")
    coordinator = bearer("coordinator", MS)
    people = [await registered(client, coordinator, course_id) for _ in range(4)]
    assert [p["status"] for p in people] == ["confirmed"] + ["waitlisted"] * 3
    return course_id, people


def _status(listed: list[dict]) -> dict[str, tuple[str, int | None]]:
    return {r["registration_id"]: (r["status"], r["position"]) for r in listed}


async def test_a_decline_moves_the_offer_to_the_next_and_an_accept_confirms(
    serve, demo_app, bearer
) -> None:
    coordinator = bearer("coordinator", MS)
    async with serve(demo_app) as client:
        database = demo_app.state.context.database
        course_id, (holder, first, second, third) = await _full_course_with_three_waiting(
            client, bearer
        )
        await client.post(
            f"/v1/registrations/{holder['registration_id']}/cancel", headers=coordinator
        )
        shown = await registrations(client, coordinator, course_id)
        [offered] = [r for r in shown if r["status"] == "offered"]
        assert offered["registration_id"] == first["registration_id"]
        assert datetime.fromisoformat(offered["offer_expires_at"]) == NOW + HOLD
        assert await told(database, first["case_id"]) == ["waitlisted", "offered"]

        declined = await client.post(
            f"/v1/registrations/{first['registration_id']}/decline", headers=coordinator
        )
        assert declined.status_code == 200, declined.text
        assert declined.json()["status"] == "declined"
        shown = _status(await registrations(client, coordinator, course_id))
        assert shown[second["registration_id"]] == ("offered", None)
        assert shown[third["registration_id"]] == ("waitlisted", 1)
        assert await told(database, first["case_id"]) == ["waitlisted", "offered", "declined"]
        # One offer timer: the declined one's is gone, the next one's is set.
        keys = await count(database, "SELECT count(*) FROM timers")
        assert keys == 1

        accepted = await client.post(
            f"/v1/registrations/{second['registration_id']}/accept", headers=coordinator
        )
        assert accepted.status_code == 200, accepted.text
        assert (accepted.json()["status"], accepted.json()["offer_expires_at"]) == (
            "confirmed",
            None,
        )
        assert await count(database, "SELECT count(*) FROM timers") == 0
        assert await told(database, second["case_id"]) == ["waitlisted", "offered", "promoted"]

        # Accepting again, or declining a confirmed place: there is no offer to answer.
        for answer in ("accept", "decline"):
            refused = await client.post(
                f"/v1/registrations/{second['registration_id']}/{answer}", headers=coordinator
            )
            assert refused.status_code == 409, refused.text
            assert refused.headers["content-type"] == "application/problem+json"
        assert await told(database, second["case_id"]) == ["waitlisted", "offered", "promoted"]


async def test_an_unanswered_offer_expires_by_its_timer_and_moves_on(
    serve, demo_app, bearer
) -> None:
    coordinator = bearer("coordinator", MS)
    async with serve(demo_app) as client:
        database = demo_app.state.context.database
        clock: FixedClock = demo_app.state.context.clock
        course_id, (holder, first, second, _third) = await _full_course_with_three_waiting(
            client, bearer
        )
        await client.post(
            f"/v1/registrations/{holder['registration_id']}/cancel", headers=coordinator
        )

        clock.set(NOW + HOLD - timedelta(seconds=1))  # not yet: the runner leaves it
        late = await client.post(
            f"/v1/registrations/{first['registration_id']}/accept", headers=coordinator
        )
        assert late.status_code == 200, late.text  # still in time
        await client.post(
            f"/v1/registrations/{first['registration_id']}/cancel", headers=coordinator
        )
        shown = _status(await registrations(client, coordinator, course_id))
        assert shown[second["registration_id"]] == ("offered", None)

        clock.set(NOW + 2 * HOLD)  # the second's hold (set at NOW + HOLD - 1 s) is over
        refused = await client.post(
            f"/v1/registrations/{second['registration_id']}/accept", headers=coordinator
        )
        assert refused.status_code == 409, refused.text  # too late, even before the timer

        async def second_expired() -> dict[str, tuple[str, int | None]]:
            return _status(await registrations(client, coordinator, course_id))

        shown = await eventually(
            second_expired,
            "the offer timer expiring the second's hold",
            until=lambda s: s[second["registration_id"]][0] == "expired",
            timeout=30,
        )
        assert [status for status, _ in shown.values()].count("offered") == 1
        assert await told(database, second["case_id"]) == ["waitlisted", "offered", "expired"]
