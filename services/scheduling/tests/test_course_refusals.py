"""Bad input to the course endpoints: a 4xx problem, and nothing written."""

import uuid

import pytest

from cq_testing import count

from .courses_support import MS, a_course, course_body, registered

TABLES = ("capacity_pools", "courses", "course_sessions", "waitlist_entries", "outbox", "timers")


async def _written(database) -> dict[str, int]:
    return {table: await count(database, f"SELECT count(*) FROM {table}") for table in TABLES}


BAD_COURSES = {
    "rrule without an end": course_body(10, rrule="FREQ=WEEKLY;BYDAY=TU"),
    "rrule over more than a year": course_body(10, rrule="FREQ=MONTHLY;COUNT=14"),
    "rrule with more than 200 sessions": course_body(10, rrule="FREQ=DAILY;COUNT=201"),
    "rrule with an unknown weekday": course_body(10, rrule="FREQ=WEEKLY;BYDAY=XX;COUNT=4"),
    "rrule that is garbage": course_body(10, rrule="garbage"),
    "rrule with its own DTSTART": course_body(10, rrule="DTSTART=20300312T100000;COUNT=2"),
    "rrule without first_session_start": course_body(10, first_session_start=None),
    "capacity 0": course_body(0),
    "capacity 501": course_body(501),
    "hold_hours missing for offer": {**course_body(10), "promotion": "offer"},
    "hold_hours 169": course_body(10, promotion="offer", hold_hours=169),
    "hold_hours with automatic": course_body(10, hold_hours=24),
    "unknown language": course_body(10, language="xx"),
    "unknown promotion": course_body(10, promotion="lottery"),
    "sessions and rrule": course_body(
        10, sessions=[{"start": "2030-03-12T10:00:00Z", "end": "2030-03-12T11:00:00Z"}]
    ),
    "first session in the past": course_body(10, first_session_start="2030-01-07T10:00:00+01:00"),
    "first session more than a year ahead": course_body(
        10, first_session_start="2031-06-03T10:00:00+02:00"
    ),
}


@pytest.mark.parametrize("body", list(BAD_COURSES.values()), ids=list(BAD_COURSES))
async def test_a_bad_course_is_refused_with_422_and_nothing_written(
    serve, demo_app, bearer, body
) -> None:
    async with serve(demo_app) as client:
        database = demo_app.state.context.database
        before = await _written(database)
        refused = await client.post(
            f"/v1/sites/{MS}/courses", json=body, headers=bearer("site_admin", MS)
        )
        assert refused.status_code == 422, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert await _written(database) == before


async def test_who_may_do_what_and_unknown_ids(serve, demo_app, bearer) -> None:
    admin = bearer("site_admin", MS)
    async with serve(demo_app) as client:
        database = demo_app.state.context.database
        course_id = await a_course(client, admin, 1)
        holder = await registered(client, bearer("coordinator", MS), course_id)
        before = await _written(database)
        other_admin = bearer("site_admin", "zwenkau")
        other_coordinator = bearer("coordinator", "zwenkau")
        unknown = uuid.uuid4()
        case = {"case_id": str(uuid.uuid4())}
        refusals = [
            # another site's admin, a coordinator (not an admin) creating a course
            ("post", f"/v1/sites/{MS}/courses", course_body(5), other_admin, 403),
            ("post", f"/v1/sites/{MS}/courses", course_body(5), bearer("coordinator", MS), 403),
            ("post", "/v1/sites/atlantis/courses", course_body(5), bearer("site_admin", "*"), 404),
            ("get", f"/v1/sites/{MS}/courses", None, other_coordinator, 403),
            ("get", f"/v1/courses/{course_id}/registrations", None, other_coordinator, 403),
            ("get", f"/v1/courses/{unknown}/registrations", None, admin, 404),
            ("post", f"/v1/courses/{course_id}/registrations", case, other_coordinator, 403),
            ("post", f"/v1/courses/{course_id}/registrations", case, bearer("care_staff", MS), 403),
            ("post", f"/v1/courses/{unknown}/registrations", case, admin, 404),
            ("post", f"/v1/courses/{course_id}/registrations", {"case_id": "x"}, admin, 422),
            (
                "post",
                f"/v1/registrations/{holder['registration_id']}/cancel",
                None,
                other_coordinator,
                403,
            ),
            ("post", f"/v1/registrations/{unknown}/cancel", None, admin, 404),
            ("post", f"/v1/registrations/{unknown}/accept", None, admin, 404),
            ("post", f"/v1/registrations/{holder['registration_id']}/accept", None, admin, 409),
            ("post", f"/v1/registrations/{holder['registration_id']}/decline", None, admin, 409),
        ]
        for method, path, body, headers, status in refusals:
            answer = await client.request(method, path, json=body, headers=headers)
            assert answer.status_code == status, (path, answer.text)
            assert answer.headers["content-type"] == "application/problem+json", path
        assert await _written(database) == before
