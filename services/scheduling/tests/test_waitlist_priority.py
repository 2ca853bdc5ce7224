"""A site's documented priority for its waiting lists (decision 0018): where a site orders
by urgency, a later emergency waits before an earlier routine case and gets the next freed
place, for courses and places alike; where it keeps arrival order nothing changes."""

import uuid

import pytest

from cq_scheduling.sites import upserts
from cq_scheduling.waitlist.models import Priority, WaitlistPriority
from cq_shared.contracts import NeedType
from cq_shared.contracts.common import Urgency
from cq_shared.contracts.intake import CaseOpened
from cq_shared.contracts.scheduling import PlacePromoted, PlaceWaitlisted
from cq_shared.service import ServiceContext
from cq_testing import case_opened, count, outbox_of

from .courses_support import MS, a_course, registrations, told
from .places_support import ZW, fill, handle
from .support import bookings_of, need
from .test_place_waitlist import DAY


async def _order_by(context: ServiceContext, site: str, priority: Priority) -> None:
    """The site's configuration, as the site data's start-up upsert writes it."""
    async with context.database.unit_of_work() as session:
        await upserts.upsert_priority(session, WaitlistPriority(site=site, priority=priority))


def _day_guest(urgency: Urgency) -> CaseOpened:
    return case_opened(ZW, need(NeedType.DAY_CARE, DAY), urgency=urgency)


async def _waiting_position(context: ServiceContext, case: CaseOpened) -> int:
    [(kind, data)] = await outbox_of(context.database, case.case_id)
    assert kind == PlaceWaitlisted.event_type
    return PlaceWaitlisted.model_validate(data).position


@pytest.mark.parametrize("priority", [Priority.URGENCY, Priority.ARRIVAL])
async def test_a_later_emergency_waits_before_a_routine_day_guest_where_the_site_says_so(
    serve, demo_app, bearer, priority: Priority
) -> None:
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        await _order_by(context, ZW, priority)
        booked = await fill(context, DAY)
        routine, emergency = _day_guest(Urgency.ROUTINE), _day_guest(Urgency.EMERGENCY)
        await handle(context, routine)
        await handle(context, emergency)
        by_urgency = priority == Priority.URGENCY
        assert await _waiting_position(context, routine) == 1
        assert await _waiting_position(context, emergency) == (1 if by_urgency else 2)

        [freed] = await bookings_of(context.database, booked[0].case_id)
        coordinator = bearer("coordinator", ZW)
        answer = await client.post(f"/v1/bookings/{freed.id}/cancel", headers=coordinator)
        assert answer.status_code == 200, answer.text

        first, second = (emergency, routine) if by_urgency else (routine, emergency)
        [(_, _), (promoted, _)] = await outbox_of(context.database, first.case_id)
        assert promoted == PlacePromoted.event_type
        assert len(await outbox_of(context.database, second.case_id)) == 1  # still waiting
        still = await count(
            context.database,
            "SELECT count(*) FROM waitlist_entries WHERE case_id = :case AND status = 'waitlisted'",
            case=second.case_id,
        )
        assert still == 1


async def test_a_course_registration_by_urgency_is_promoted_first_and_listed_so(
    serve, demo_app, bearer
) -> None:
    admin, coordinator = bearer("site_admin", MS), bearer("coordinator", MS)
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        await _order_by(context, MS, Priority.URGENCY)
        course_id = await a_course(client, admin, 1)
        url = f"/v1/courses/{course_id}/registrations"
        made = []
        for urgency in ("routine", "routine", "urgent", "emergency"):
            body = {"case_id": str(uuid.uuid4()), "urgency": urgency}
            answer = await client.post(url, json=body, headers=coordinator)
            assert answer.status_code == 201, answer.text
            made.append(answer.json())
        holder, routine, urgent, emergency = made
        assert [r["position"] for r in made] == [None, 1, 1, 1]  # each first when it came

        listed = {
            r["case_id"]: r["position"] for r in await registrations(client, admin, course_id)
        }
        assert [listed[r["case_id"]] for r in made] == [None, 3, 2, 1]

        cancel = f"/v1/registrations/{holder['registration_id']}/cancel"
        assert (await client.post(cancel, headers=coordinator)).status_code == 200
        listed = {
            r["case_id"]: (r["status"], r["position"])
            for r in await registrations(client, admin, course_id)
        }
        assert listed[emergency["case_id"]] == ("confirmed", None)
        assert listed[urgent["case_id"]] == ("waitlisted", 1)
        assert listed[routine["case_id"]] == ("waitlisted", 2)
        assert await told(context.database, emergency["case_id"]) == ["waitlisted", "promoted"]


async def test_an_unknown_urgency_is_refused_and_writes_nothing(serve, demo_app, bearer) -> None:
    admin, coordinator = bearer("site_admin", MS), bearer("coordinator", MS)
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        course_id = await a_course(client, admin, 1)
        body = {"case_id": str(uuid.uuid4()), "urgency": "yesterday"}
        url = f"/v1/courses/{course_id}/registrations"
        answer = await client.post(url, json=body, headers=coordinator)
        assert answer.status_code == 422, answer.text
        assert answer.headers["content-type"] == "application/problem+json"
        written = await count(
            context.database,
            "SELECT count(*) FROM waitlist_entries WHERE pool_id = :course",
            course=uuid.UUID(course_id),
        )
        assert written == 0
