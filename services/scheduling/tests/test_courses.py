"""Courses over HTTP: created from a rule or a list, listed with their places; registrations
confirmed, then waitlisted; a cancellation promotes the first waiting (policy automatic)."""

from datetime import datetime

from cq_scheduling.demo import load_demo_data
from cq_shared.contracts.public import CourseSeatsChanged
from cq_testing import outbox_of

from .courses_support import MS, a_course, course_body, registered, registrations, told


async def test_a_course_from_a_rule_lists_its_sessions_in_site_time(
    serve, demo_app, bearer
) -> None:
    admin, carer = bearer("site_admin", MS), bearer("care_staff", MS)
    async with serve(demo_app) as client:
        # The tenth Tuesday is after the change to summer time: still 10:00 in Münster.
        course_id = await a_course(client, admin, 12)
        listed = await client.get(f"/v1/sites/{MS}/courses", headers=carer)
        assert listed.status_code == 200, listed.text
        [course] = [c for c in listed.json() if c["course_id"] == course_id]
        assert course["title"] == "Sturzprävention"
        assert (course["capacity"], course["confirmed"], course["waitlisted"]) == (12, 0, 0)
        assert (course["free"], course["promotion"], course["hold_hours"]) == (
            12,
            "automatic",
            None,
        )
        assert course["session_count"] == 10
        assert datetime.fromisoformat(course["first_session"]) == datetime.fromisoformat(
            "2030-03-12T10:00:00+01:00"
        )
        assert datetime.fromisoformat(course["last_session"]) == datetime.fromisoformat(
            "2030-05-14T10:00:00+02:00"
        )

        [announced] = await outbox_of(demo_app.state.context.database, course_id)
        figures = CourseSeatsChanged.model_validate(announced.data)
        assert (figures.capacity, figures.free, figures.waitlisted) == (12, 12, 0)
        assert len(figures.next_sessions) == 5


async def test_a_course_from_a_list_of_sessions(serve, demo_app, bearer) -> None:
    admin = bearer("site_admin", MS)
    sessions = [
        {"start": "2030-03-20T14:00:00+01:00", "end": "2030-03-20T15:30:00+01:00"},
        {"start": "2030-03-13T14:00:00+01:00", "end": "2030-03-13T15:30:00+01:00"},
    ]
    body = course_body(8, title="Gedächtnistraining", sessions=sessions)
    for key in ("rrule", "first_session_start", "session_minutes"):
        del body[key]
    async with serve(demo_app) as client:
        made = await client.post(f"/v1/sites/{MS}/courses", json=body, headers=admin)
        assert made.status_code == 201, made.text
        listed = (await client.get(f"/v1/sites/{MS}/courses", headers=admin)).json()
        [course] = [c for c in listed if c["course_id"] == made.json()["course_id"]]
        assert course["session_count"] == 2
        assert course["first_session"].startswith("2030-03-13T13:00")  # UTC
        assert course["rrule"] is None


async def test_registrations_fill_the_places_then_wait_and_a_cancellation_promotes_the_first(
    serve, demo_app, bearer
) -> None:
    coordinator = bearer("coordinator", MS)
    async with serve(demo_app) as client:
        database = demo_app.state.context.database
        course_id = await a_course(client, bearer("site_admin", MS), 2)
        first, second, third, fourth = [
            await registered(client, coordinator, course_id) for _ in range(4)
        ]
        assert [r["status"] for r in (first, second, third, fourth)] == [
            "confirmed",
            "confirmed",
            "waitlisted",
            "waitlisted",
        ]
        assert (third["position"], fourth["position"]) == (1, 2)
        # The same case again: its registration, unchanged, and nothing told twice.
        again = await registered(client, coordinator, course_id, third["case_id"])
        assert (again["registration_id"], again["position"]) == (third["registration_id"], 1)
        assert await told(database, third["case_id"]) == ["waitlisted"]

        cancelled = await client.post(
            f"/v1/registrations/{first['registration_id']}/cancel", headers=coordinator
        )
        assert cancelled.status_code == 200, cancelled.text
        assert cancelled.json()["status"] == "cancelled"
        again = await client.post(
            f"/v1/registrations/{first['registration_id']}/cancel", headers=coordinator
        )
        assert again.status_code == 200, again.text  # idempotent: nothing moves twice

        shown = {
            r["registration_id"]: r for r in await registrations(client, coordinator, course_id)
        }
        assert shown[third["registration_id"]]["status"] == "confirmed"
        assert shown[fourth["registration_id"]]["position"] == 1
        assert await told(database, first["case_id"]) == ["confirmed", "cancelled"]
        assert await told(database, third["case_id"]) == ["waitlisted", "promoted"]
        assert await told(database, fourth["case_id"]) == ["waitlisted"]

        announced = [
            CourseSeatsChanged.model_validate(a.data) for a in await outbox_of(database, course_id)
        ]
        # Only changes of the public figures are announced: the fourth registration and the
        # promotion left them as they were (full, "some" waiting), so a branch cannot count.
        assert [(a.free, a.waitlisted, a.waitlisted_withheld) for a in announced] == [
            (2, 0, False),
            (1, 0, False),
            (0, 0, False),
            (0, None, True),
        ]
        courses = (await client.get(f"/v1/sites/{MS}/courses", headers=coordinator)).json()
        [course] = [c for c in courses if c["course_id"] == course_id]
        assert (course["confirmed"], course["waitlisted"], course["free"]) == (2, 1, 0)


async def test_the_demo_course_has_one_free_place_and_loads_once(serve, demo_app, bearer) -> None:
    coordinator = bearer("coordinator", MS)
    async with serve(demo_app) as client:
        await load_demo_data(demo_app.state.context)  # a second start-up changes nothing
        listed = (await client.get(f"/v1/sites/{MS}/courses", headers=coordinator)).json()
        [course] = [c for c in listed if c["title"] == "Sturzprävention"]
        assert (course["capacity"], course["confirmed"], course["free"]) == (8, 7, 1)
        assert (course["language"], course["promotion"]) == ("de", "automatic")
        assert datetime.fromisoformat(course["next_session"]).weekday() == 1  # a Tuesday
        last, waiting = [await registered(client, coordinator, course["course_id"]) for _ in "ab"]
        assert (last["status"], waiting["status"], waiting["position"]) == (
            "confirmed",
            "waitlisted",
            1,
        )


async def test_a_long_waiting_list_is_announced_in_steps_of_five(serve, demo_app, bearer) -> None:
    coordinator = bearer("coordinator", MS)
    async with serve(demo_app) as client:
        course_id = await a_course(client, bearer("site_admin", MS), 1)
        for _ in range(1 + 11):  # one place taken, eleven waiting
            await registered(client, coordinator, course_id)
        database = demo_app.state.context.database
        announced = [
            CourseSeatsChanged.model_validate(a.data) for a in await outbox_of(database, course_id)
        ]
        assert [(a.free, a.waitlisted) for a in announced] == [
            (1, 0),
            (0, 0),
            (0, None),  # 1 to 4: withheld
            (0, 5),  # 5 to 9
            (0, 10),  # 10 and 11
        ]
