"""A need may name a course (prevention_course) or recur (a day guest every Tuesday and
Thursday); intake keeps both, shows them and passes them on. Unbounded or absurd series, and
fields on the wrong need, are a 422 that writes nothing."""

import copy
import uuid
from typing import Any

from fastapi import FastAPI

from cq_shared.contracts.intake import CaseOpenedV2
from cq_testing import outbox_of

from .support import TABLES, counts, day, emergency

SITE = "zwenkau"  # offers day care; Münster's courses are asked for at muenster


async def opened(app: FastAPI, case_id: str) -> CaseOpenedV2:
    written = await outbox_of(app.state.context.database, case_id)
    [event] = [data for kind, data in written if kind == CaseOpenedV2.event_type]
    return CaseOpenedV2.model_validate(event)


def day_guest(**need: Any) -> dict[str, Any]:
    body = emergency(SITE)
    body["needs"] = [{"type": "day_care", "start": day(1), **need}]
    return body


async def test_a_series_and_a_course_travel_to_the_other_services(
    serve, bearer, app: FastAPI
) -> None:
    course_id = str(uuid.uuid4())
    async with serve(app) as client:
        series = day_guest(until=day(56), weekdays=["tue", "thu"])
        made = await client.post("/v1/requests", json=series, headers=bearer("coordinator", SITE))
        assert made.status_code == 201, made.text
        course = emergency("muenster")
        course["needs"] = [{"type": "prevention_course", "course_id": course_id}]
        booked = await client.post(
            "/v1/requests", json=course, headers=bearer("coordinator", "muenster")
        )
        assert booked.status_code == 201, booked.text

        [need] = (await opened(app, made.json()["case_id"])).needs
        assert need.until is not None
        assert (need.until.isoformat(), need.weekdays) == (day(56), ["tue", "thu"])
        [asked] = (await opened(app, booked.json()["case_id"])).needs
        assert str(asked.course_id) == course_id

        shown = await client.get(
            f"/v1/cases/{made.json()['case_id']}", headers=bearer("coordinator", SITE)
        )
        [view] = shown.json()["needs"]
        assert (view["until"], view["weekdays"], view["rrule"]) == (day(56), ["tue", "thu"], None)


async def test_unbounded_absurd_and_misplaced_recurrences_write_nothing(
    serve, bearer, app: FastAPI
) -> None:
    headers = bearer("coordinator", SITE)
    refused = [
        day_guest(weekdays=["tue"]),  # no end
        day_guest(until=day(400), weekdays=["tue"]),  # more than a year
        day_guest(until=day(20), weekdays=["tue", "someday"]),  # unknown weekday
        day_guest(rrule="FREQ=WEEKLY;BYDAY=TU"),  # a rule without end
        day_guest(rrule="FREQ=DAILY;COUNT=5000"),  # absurd
        day_guest(rrule="FREQ=WEEKLY;BYDAY=XX;COUNT=3"),  # unknown day in the rule
        day_guest(rrule="x" * 201),  # junk
        day_guest(until=day(20)),  # no weekdays, no rule
        day_guest(until=day(20), weekdays=["tue"], rrule="FREQ=DAILY;COUNT=3"),  # both
        day_guest(course_id=str(uuid.uuid4())),  # a course on a day-care need
    ]
    counselling = emergency(SITE)
    counselling["needs"] = [
        {"type": "counselling", "start": day(1), "until": day(20), "weekdays": ["mon"]}
    ]
    no_start = day_guest(until=day(20), weekdays=["tue"])
    del no_start["needs"][0]["start"]
    async with serve(app) as client:
        for body in [*refused, counselling, no_start]:
            answer = await client.post("/v1/requests", json=copy.deepcopy(body), headers=headers)
            assert answer.status_code == 422, (body["needs"], answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert answer.json()["errors"][0]["loc"][:3] == ["body", "needs", 0]
        assert await counts(app) == dict.fromkeys(TABLES, 0)
