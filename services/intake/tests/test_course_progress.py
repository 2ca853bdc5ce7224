"""Following a prevention_course need (journey 2): scheduling's course registration events
move it through waitlisted, offered and booked to cancelled, with the course's details; a
registration that names no need moves nothing. A plain booking's cancellation moves its need
the same way."""

import uuid
from datetime import UTC, datetime
from typing import Any

from fastapi import FastAPI

from cq_shared.contracts import Language
from cq_shared.contracts.scheduling import (
    BookingCancelled,
    BookingConfirmed,
    CourseRegistrationCancelled,
    CourseRegistrationConfirmed,
    CourseRegistrationOffered,
    CourseRegistrationPromoted,
    CourseRegistrationWaitlisted,
)
from cq_testing import Publisher

from .support import emergency, rows
from .test_progress import Case, need_of

SITE = "muenster"
FIRST_SESSION = datetime(2025, 6, 10, 8, 0, tzinfo=UTC)
HELD_UNTIL = datetime(2025, 6, 4, 16, 0, tzinfo=UTC)


async def test_a_course_need_waits_is_offered_booked_and_cancelled(
    serve, bearer, app: FastAPI, infrastructure
) -> None:
    headers = bearer("coordinator", SITE)
    course_id = uuid.uuid4()
    body = emergency(SITE, needs=[{"type": "prevention_course", "course_id": str(course_id)}])
    async with serve(app) as client, Publisher(infrastructure.kafka.bootstrap_servers) as kafka:
        case = Case(client, headers, await client.post("/v1/requests", json=body, headers=headers))
        need = (await case.need_ids())["prevention_course"]
        registration = uuid.uuid4()
        common: dict[str, Any] = {
            "case_id": case.id,
            "site": SITE,
            "registration_id": registration,
            "course_id": course_id,
            "need_id": need,
            "title": "Sturzprävention",
            "language": Language.DE,
            "first_session": FIRST_SESSION,
        }

        await kafka.send(CourseRegistrationWaitlisted(**common, position=2), service="scheduling")
        seen = await case.once("prevention_course", "waitlisted")
        assert need_of(seen, "prevention_course")["details"] == {
            "resource_type": "course",
            "registration_id": str(registration),
            "course_id": str(course_id),
            "course_title": "Sturzprävention",
            "start": "2025-06-10T08:00:00Z",
            "position": 2,
        }
        assert seen["status"] == "in_progress"

        offered = CourseRegistrationOffered(**common, expires_at=HELD_UNTIL)
        await kafka.send(offered, service="scheduling")
        seen = await case.once("prevention_course", "offered")
        details = need_of(seen, "prevention_course")["details"]
        assert details["offer_expires_at"] == "2025-06-04T16:00:00Z"
        assert "position" not in details

        await kafka.send(CourseRegistrationPromoted(**common), service="scheduling")
        seen = await case.once("prevention_course", "booked")
        assert seen["status"] == "arranged"  # the platform acted on the course need

        # Staff register another case by hand (no need): nothing of this case moves.
        by_hand = {**common, "need_id": None, "registration_id": uuid.uuid4()}
        await kafka.send(CourseRegistrationConfirmed(**by_hand), service="scheduling")
        await kafka.send(CourseRegistrationCancelled(**common), service="scheduling")
        seen = await case.once("prevention_course", "cancelled")
        assert need_of(seen, "prevention_course")["details"]["registration_id"] == str(registration)
        # Cancelled on purpose holds nothing back; nothing else is left to arrange.
        assert seen["status"] == "in_progress"

        inbox = await rows(
            app, "SELECT count(*) FROM inbox WHERE consumer = 'intake.case-progress'"
        )
        assert inbox[0][0] == 5


async def test_a_cancelled_booking_cancels_its_need(
    serve, bearer, app: FastAPI, infrastructure
) -> None:
    headers = bearer("coordinator", SITE)
    body = emergency(SITE, needs=[{"type": "counselling"}])
    async with serve(app) as client, Publisher(infrastructure.kafka.bootstrap_servers) as kafka:
        case = Case(client, headers, await client.post("/v1/requests", json=body, headers=headers))
        need = (await case.need_ids())["counselling"]
        booking = uuid.uuid4()
        period = {"start": FIRST_SESSION, "end": FIRST_SESSION.replace(hour=9)}
        ids: dict[str, Any] = {"case_id": case.id, "site": SITE, "booking_id": booking}
        await kafka.send(
            BookingConfirmed(
                **ids, **period, need_id=need, resource_type="counselling", resource_name="Raum 1"
            ),
            service="scheduling",
        )
        await case.once("counselling", "booked")
        cancelled = {**ids, **period, "resource_type": "counselling", "cancelled_by": "coordinator"}
        # Booked by hand for the case (no need): nothing of the case moves.
        await kafka.send(BookingCancelled(**cancelled, reason="cancelled"), service="scheduling")
        await kafka.send(
            BookingCancelled(**cancelled, need_id=need, reason="cancelled"), service="scheduling"
        )
        seen = await case.once("counselling", "cancelled")
        details = need_of(seen, "counselling")["details"]
        assert (details["booking_id"], details["reason"]) == (str(booking), "cancelled")
        assert seen["status"] == "in_progress"
