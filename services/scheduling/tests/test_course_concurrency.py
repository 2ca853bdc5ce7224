"""Never more places than the capacity, decided by the database: fifty people register for
ten places at once, then cancellations and registrations race."""

import asyncio
import uuid

import pytest
from sqlalchemy.exc import IntegrityError

from cq_scheduling.courses.registrations import register
from cq_scheduling.courses.schemas import RegistrationPublic
from cq_shared.service import ServiceContext
from cq_testing import count, rows

from .courses_support import MS, a_course, told

PLACES = 10
PEOPLE = 50


async def _register(context: ServiceContext, course_id: uuid.UUID) -> RegistrationPublic:
    async with context.database.unit_of_work() as session:
        return await register(
            session, context, course_id, case_id=uuid.uuid4(), need_id=uuid.uuid4(), site=MS
        )


async def test_fifty_at_once_for_ten_places_are_ten_confirmed_and_forty_in_arrival_order(
    serve, demo_app, bearer
) -> None:
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        course_id = uuid.UUID(await a_course(client, bearer("site_admin", MS), PLACES))
        made = await asyncio.gather(*(_register(context, course_id) for _ in range(PEOPLE)))

        confirmed = [r for r in made if r.status == "confirmed"]
        waiting = [r for r in made if r.status == "waitlisted"]
        assert (len(confirmed), len(waiting)) == (PLACES, PEOPLE - PLACES)
        assert sorted(r.position for r in waiting if r.position) == list(range(1, 41))

        # Arrival = the order in which the registrations got the course's lock.
        arrivals = dict(
            await rows(
                context.database,
                "SELECT id, arrival FROM waitlist_entries WHERE pool_id = :pool",
                pool=course_id,
            )
        )
        assert max(arrivals[r.registration_id] for r in confirmed) < min(
            arrivals[r.registration_id] for r in waiting
        )
        by_arrival = sorted(waiting, key=lambda r: arrivals[r.registration_id])
        assert [r.position for r in by_arrival] == list(range(1, 41))
        # The list shows the same, and each person was told once, with the same position.
        shown = await client.get(
            f"/v1/courses/{course_id}/registrations", headers=bearer("care_staff", MS)
        )
        listed = {r["registration_id"]: r for r in shown.json()}
        for registration in made:
            mine = listed[str(registration.registration_id)]
            assert (mine["status"], mine["position"]) == (
                registration.status,
                registration.position,
            )
            assert await told(context.database, str(registration.case_id)) == [registration.status]


async def test_racing_cancellations_and_registrations_keep_the_capacity_and_the_order(
    serve, demo_app, bearer
) -> None:
    coordinator = bearer("coordinator", MS)
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        course_id = uuid.UUID(await a_course(client, bearer("site_admin", MS), PLACES))
        first = [await _register(context, course_id) for _ in range(PLACES + 10)]
        leaving = [r for r in first if r.status == "confirmed"][:5]

        async def cancel(registration: RegistrationPublic) -> int:
            answer = await client.post(
                f"/v1/registrations/{registration.registration_id}/cancel", headers=coordinator
            )
            return answer.status_code

        racing = [cancel(r) for r in leaving] + [_register(context, course_id) for _ in range(5)]
        await asyncio.gather(*racing)

        held = await count(
            context.database,
            "SELECT count(*) FROM waitlist_entries WHERE pool_id = :pool AND status = 'confirmed'",
            pool=course_id,
        )
        assert held == PLACES
        # The five who waited longest moved up (automatic), whatever the newcomers did.
        promoted = {r.registration_id for r in first[PLACES : PLACES + 5]}
        shown = (
            await client.get(f"/v1/courses/{course_id}/registrations", headers=coordinator)
        ).json()
        status = {uuid.UUID(r["registration_id"]): r["status"] for r in shown}
        assert {status[r] for r in promoted} == {"confirmed"}
        positions = [r["position"] for r in shown if r["status"] == "waitlisted"]
        assert positions == list(range(1, 11))


async def test_the_database_refuses_a_seat_beyond_the_capacity_or_taken_twice(
    serve, demo_app, bearer
) -> None:
    """A caller that skips the lock and the seat search (a bug) still cannot overbook."""
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        course_id = uuid.UUID(await a_course(client, bearer("site_admin", MS), 1))
        await _register(context, course_id)
        for seat, arrival in ((2, 101), (1, 102)):  # beyond the capacity; already held
            with pytest.raises(IntegrityError):
                await rows(
                    context.database,
                    "INSERT INTO waitlist_entries (id, pool_id, pool_capacity, site, case_id, "
                    "arrival, status, seat, created_at, updated_at) VALUES (gen_random_uuid(), "
                    ":pool, 1, 'muenster', gen_random_uuid(), :arrival, 'confirmed', :seat, "
                    "now(), now()) RETURNING id",
                    pool=course_id,
                    seat=seat,
                    arrival=arrival,
                )
        with pytest.raises(IntegrityError):  # nor by claiming a larger capacity
            await rows(
                context.database,
                "INSERT INTO waitlist_entries (id, pool_id, pool_capacity, site, case_id, "
                "arrival, status, seat, created_at, updated_at) VALUES (gen_random_uuid(), "
                ":pool, 2, 'muenster', gen_random_uuid(), 103, 'confirmed', 2, now(), now()) "
                "RETURNING id",
                pool=course_id,
            )
