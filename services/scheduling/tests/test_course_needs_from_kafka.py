"""Intake's prevention_course needs on the real `intake.cases` topic (journey 2): a need with
its course registers the case, confirmed while places are free, then waitlisted; a course of
another site or none at all is refused with a reason; a republished case registers nobody
twice, nor again after a cancellation."""

import uuid

from cq_shared.contracts import NeedType
from cq_shared.contracts.intake import CaseOpened, NeedRequested
from cq_shared.contracts.scheduling import BookingUnavailable
from cq_testing import count, envelope_of, eventually, outbox_of, publish

from .courses_support import MS, a_course, registrations, told
from .support import case_opened

UNAVAILABLE = BookingUnavailable.event_type


def course_need(course_id: str | uuid.UUID | None) -> NeedRequested:
    chosen = uuid.UUID(str(course_id)) if course_id is not None else None
    return NeedRequested(need_id=uuid.uuid4(), type=NeedType.PREVENTION_COURSE, course_id=chosen)


async def test_course_needs_register_in_arrival_order_once(
    serve, bearer, demo_app, infrastructure
) -> None:
    admin, planner = bearer("site_admin", MS), bearer("coordinator", MS)
    bootstrap = infrastructure.kafka.bootstrap_servers
    async with serve(demo_app) as client:
        database = demo_app.state.context.database
        course_id = await a_course(client, admin, 1)
        first = case_opened(MS, course_need(course_id))
        await publish(bootstrap, envelope_of(first), topic=CaseOpened.topic)
        await eventually(lambda: told(database, str(first.case_id)), "the first registration")
        second = case_opened(MS, course_need(course_id))
        await publish(bootstrap, envelope_of(second), topic=CaseOpened.topic)
        await eventually(lambda: told(database, str(second.case_id)), "the second registration")

        assert await told(database, str(first.case_id)) == ["confirmed"]
        assert await told(database, str(second.case_id)) == ["waitlisted"]
        listed = await registrations(client, planner, course_id)
        by_case = {r["case_id"]: r for r in listed}
        confirmed = by_case[str(first.case_id)]
        assert (confirmed["status"], confirmed["need_id"]) == (
            "confirmed",
            str(first.needs[0].need_id),
        )
        waiting = by_case[str(second.case_id)]
        assert (waiting["status"], waiting["position"]) == ("waitlisted", 1)

        # The first cancels; the second is promoted. The first case republished afterwards
        # (a new event id) registers nobody again: the cancellation stands.
        cancelled = await client.post(
            f"/v1/registrations/{confirmed['registration_id']}/cancel", headers=planner
        )
        assert cancelled.status_code == 200, cancelled.text
        assert await told(database, str(second.case_id)) == ["waitlisted", "promoted"]
        again = envelope_of(first)
        marker = envelope_of(first.model_copy(update={"needs": []}))
        await publish(bootstrap, again, marker, topic=CaseOpened.topic)
        consumed = "SELECT count(*) FROM inbox WHERE event_id = :id"
        await eventually(lambda: count(database, consumed, id=marker.id), "the marker's turn")
        assert await told(database, str(first.case_id)) == ["confirmed", "cancelled"]
        statuses = sorted(r["status"] for r in await registrations(client, planner, course_id))
        assert statuses == ["cancelled", "confirmed"]


async def test_a_course_of_another_site_or_unknown_is_refused_with_its_reason(
    serve, bearer, demo_app, infrastructure
) -> None:
    admin = bearer("site_admin", MS)
    async with serve(demo_app) as client:
        database = demo_app.state.context.database
        course_id = await a_course(client, admin, 5)
        # A Kaiserslautern case may not take Münster's course: to it the course does not exist.
        elsewhere = case_opened("kaiserslautern", course_need(course_id))
        unknown = case_opened(MS, course_need(uuid.uuid4()))
        unchosen = case_opened(MS, course_need(None))
        marker = envelope_of(unchosen.model_copy(update={"needs": []}))
        await publish(
            infrastructure.kafka.bootstrap_servers,
            envelope_of(elsewhere),
            envelope_of(unknown),
            envelope_of(unchosen),
            marker,
            topic=CaseOpened.topic,
        )
        for case in (elsewhere, unknown):
            [(kind, data)] = await eventually(
                lambda case=case: outbox_of(database, case.case_id), "the refusal"
            )
            assert kind == UNAVAILABLE
            refusal = BookingUnavailable.model_validate(data)
            assert (refusal.resource_type, refusal.reason) == ("course", "unknown_course")
            assert refusal.need_id == case.needs[0].need_id
        consumed = "SELECT count(*) FROM inbox WHERE event_id = :id"
        await eventually(lambda: count(database, consumed, id=marker.id), "the marker's turn")
        # No course chosen: people find one with the person; scheduling says nothing.
        assert await outbox_of(database, unchosen.case_id) == []
        assert (
            await count(
                database,
                "SELECT count(*) FROM waitlist_entries WHERE pool_id = :c",
                c=uuid.UUID(course_id),
            )
            == 0
        )
