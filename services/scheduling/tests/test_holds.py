"""Holds: a place kept while the front desk is on the phone counts as taken, becomes a booking
or is given back, and runs out by its durable timer. Concurrent holds and bookings never take
more places than there are; every refusal writes nothing."""

import asyncio
import uuid
from datetime import datetime, timedelta
from typing import Any

from cq_scheduling.bookings import cancellation, places
from cq_scheduling.bookings.telling import tell
from cq_scheduling.bookings.waiting import Moves
from cq_shared.clock import FixedClock
from cq_shared.contracts import NeedType
from cq_shared.contracts.scheduling import BookingConfirmed, PlacePromoted, PlaceWaitlisted
from cq_shared.service import ServiceContext
from cq_testing import count, eventually, outbox_of, rows

from .places_support import PLACES, ZW, fill, handle
from .support import NOW, case_opened, need

DAY = "2030-03-07"


def hold_body(**more: Any) -> dict[str, Any]:
    return {"site": ZW, "resource_type": "day_care_place", "date": DAY, "ttl_minutes": 10, **more}


async def free_on(client: Any, headers: Any, day: str = DAY) -> int:
    query = f"type=day_care_place&from={day}&to={day}"
    found = await client.get(f"/v1/sites/{ZW}/availability?{query}", headers=headers)
    assert found.status_code == 200, found.text
    return int(found.json()["items"][0]["free"])


async def test_a_hold_takes_a_place_until_confirmed_for_a_case(serve, demo_app, bearer) -> None:
    coordinator = bearer("coordinator", ZW)
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        made = await client.post("/v1/holds", json=hold_body(), headers=coordinator)
        assert made.status_code == 201, made.text
        hold = made.json()
        assert hold["status"] == "held"
        assert datetime.fromisoformat(hold["expires_at"]) == NOW + timedelta(minutes=10)
        assert await free_on(client, coordinator) == PLACES - 1
        case_id, need_id = uuid.uuid4(), uuid.uuid4()
        body = {"case_id": str(case_id), "need_id": str(need_id)}
        confirmed = await client.post(
            f"/v1/holds/{hold['hold_id']}/confirm", json=body, headers=coordinator
        )
        assert confirmed.status_code == 200, confirmed.text
        assert confirmed.json()["status"] == "confirmed"
        assert await free_on(client, coordinator) == PLACES - 1
        [(kind, data)] = await outbox_of(context.database, case_id)
        assert kind == BookingConfirmed.event_type
        assert data["booking_id"] == hold["hold_id"]
        assert await count(context.database, "SELECT count(*) FROM timers") == 0
        twice = await client.post(
            f"/v1/holds/{hold['hold_id']}/confirm", json=body, headers=coordinator
        )
        assert twice.status_code == 409

        other = (await client.post("/v1/holds", json=hold_body(), headers=coordinator)).json()
        released = await client.delete(f"/v1/holds/{other['hold_id']}", headers=coordinator)
        assert released.status_code == 200, released.text
        assert released.json()["status"] == "released"
        assert await free_on(client, coordinator) == PLACES - 1


async def test_a_released_hold_goes_to_the_first_waiting(serve, demo_app, bearer) -> None:
    coordinator = bearer("coordinator", ZW)
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        await fill(context, NOW.date() + timedelta(days=3), PLACES - 1)  # 7 March
        hold = (await client.post("/v1/holds", json=hold_body(), headers=coordinator)).json()
        waiting = case_opened(ZW, need(NeedType.DAY_CARE, NOW.date() + timedelta(days=3)))
        await handle(context, waiting)
        released = await client.post(f"/v1/holds/{hold['hold_id']}/release", headers=coordinator)
        assert released.status_code == 200, released.text
        told = [kind for kind, _ in await outbox_of(context.database, waiting.case_id)]
        assert told[-1] == PlacePromoted.event_type
        assert await free_on(client, coordinator) == 0


async def test_a_hold_expires_by_its_timer_once(serve, demo_app, bearer) -> None:
    coordinator = bearer("coordinator", ZW)
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        hold = (
            await client.post("/v1/holds", json=hold_body(ttl_minutes=5), headers=coordinator)
        ).json()
        clock = context.clock
        assert isinstance(clock, FixedClock)
        clock.set(NOW + timedelta(minutes=6))

        async def status() -> str:
            found = await rows(
                context.database, "SELECT status FROM bookings WHERE id = :id", id=hold["hold_id"]
            )
            return str(found[0][0])

        await eventually(status, "the hold expiring", until="expired".__eq__)
        assert await free_on(client, coordinator) == PLACES
        assert await count(context.database, "SELECT count(*) FROM timers") == 0
        late = await client.post(
            f"/v1/holds/{hold['hold_id']}/confirm",
            json={"case_id": str(uuid.uuid4())},
            headers=coordinator,
        )
        assert late.status_code == 409
        assert late.headers["content-type"] == "application/problem+json"


async def test_refusals_write_nothing(serve, demo_app, bearer) -> None:
    coordinator = bearer("coordinator", ZW)
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        before = await count(context.database, "SELECT count(*) FROM bookings")
        bad_bodies = [
            hold_body(ttl_minutes=0),
            hold_body(ttl_minutes=1000),
            {
                **hold_body(date=None),
                "start": "2030-03-07T12:00:00+01:00",
                "end": "2030-03-07T08:00:00+01:00",
            },
            hold_body(start="2030-03-07T08:00:00+01:00"),  # a date and a period
            hold_body(date="2031-06-01"),  # more than a year ahead
            hold_body(date="9999-12-31"),  # its window would leave the calendar
            hold_body(date="0001-01-01"),
            hold_body(resource_type="spaceship"),
            {k: v for k, v in hold_body().items() if k != "ttl_minutes"},
        ]
        for body in bad_bodies:
            refused = await client.post("/v1/holds", json=body, headers=coordinator)
            assert refused.status_code == 422, (body, refused.text)
            assert refused.headers["content-type"] == "application/problem+json"
        elsewhere = await client.post(
            "/v1/holds", json=hold_body(), headers=bearer("coordinator", "kaiserslautern")
        )
        assert elsewhere.status_code == 403
        carer = await client.post("/v1/holds", json=hold_body(), headers=bearer("care_staff", ZW))
        assert carer.status_code == 403
        nothing_there = await client.post(
            "/v1/holds",
            json={**hold_body(), "site": "koeln-chorweiler"},
            headers=bearer("coordinator", "koeln-chorweiler"),
        )
        assert nothing_there.status_code == 422  # no day-care places there
        unknown = uuid.uuid4()
        for path in (f"/v1/holds/{unknown}/release", f"/v1/holds/{unknown}/confirm"):
            missing = await client.post(path, json={"case_id": str(unknown)}, headers=coordinator)
            assert missing.status_code == 404, path
        assert (await client.delete(f"/v1/holds/{unknown}", headers=coordinator)).status_code == 404
        await fill(context, NOW.date() + timedelta(days=3))
        full = await client.post("/v1/holds", json=hold_body(), headers=coordinator)
        assert full.status_code == 409
        assert await count(context.database, "SELECT count(*) FROM bookings") == before + PLACES
        assert await count(context.database, "SELECT count(*) FROM timers") == 0


async def test_concurrent_holds_and_bookings_never_exceed_the_places(
    serve, demo_app, bearer
) -> None:
    coordinator = bearer("coordinator", ZW)
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        guests = [
            case_opened(ZW, need(NeedType.DAY_CARE, NOW.date() + timedelta(days=3)))
            for _ in range(8)
        ]
        holds = [client.post("/v1/holds", json=hold_body(), headers=coordinator) for _ in range(10)]
        answers, _ = await asyncio.gather(
            asyncio.gather(*holds), asyncio.gather(*(handle(context, g) for g in guests))
        )
        codes = sorted(answer.status_code for answer in answers)
        assert set(codes) <= {201, 409}
        taken = await count(
            context.database,
            "SELECT count(*) FROM bookings WHERE status IN ('confirmed', 'held') "
            "AND resource_type = 'day_care_place'",
        )
        assert taken == PLACES
        outcomes = [(await outbox_of(context.database, g.case_id))[0][0] for g in guests]
        booked = outcomes.count(BookingConfirmed.event_type)
        assert codes.count(201) + booked == PLACES
        # The guests who found no place wait for one (Zwenkau waitlists its places).
        assert outcomes.count(PlaceWaitlisted.event_type) == len(guests) - booked
        assert await free_on(client, coordinator) == 0


async def test_holds_and_manual_bookings_wait_for_the_pools_first(serve, demo_app, bearer) -> None:
    """A hold or a manual booking takes the day's pool lock before any resource's lock, as a
    cancellation does before it promotes into a resource: while a cancellation holds the
    pool, they wait for it (before, they took resource locks the promotion then waited for,
    and the two deadlocked)."""
    coordinator = bearer("coordinator", ZW)
    day = NOW.date() + timedelta(days=3)
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        booked = await fill(context, day)
        waiting = case_opened(ZW, need(NeedType.DAY_CARE, day))
        await handle(context, waiting)
        [freed] = await rows(
            context.database,
            "SELECT id, resource_id, starts_at, ends_at FROM bookings WHERE case_id = :case",
            case=booked[0].case_id,
        )
        site = context.sites[ZW]
        now = context.clock.now()
        async with context.database.unit_of_work() as session:
            period = (freed.starts_at, freed.ends_at)
            await places.lock_pools(session, site, ZW, "day_care_place", period, now=now)
            hold = asyncio.ensure_future(
                client.post("/v1/holds", json=hold_body(date=str(day)), headers=coordinator)
            )
            manual = {
                "site": ZW,
                "resource_id": str(freed.resource_id),
                "start": freed.starts_at.isoformat(),
                "end": freed.ends_at.isoformat(),
            }
            by_hand = asyncio.ensure_future(
                client.post("/v1/bookings", json=manual, headers=coordinator)
            )
            await asyncio.sleep(0.5)
            assert not hold.done()  # waiting for the pool
            assert not by_hand.done()
            moves = Moves()
            await cancellation.cancel(
                session,
                context.sites,
                freed.id,
                reason=cancellation.CANCELLED,
                by="coordinator",
                now=now,
                moves=moves,
            )
            await tell(session, context, moves, now=now)
        # The freed place went to the one waiting; after that, nothing is free.
        assert (await hold).status_code == 409
        assert (await by_hand).status_code == 409
        [*_, (kind, _)] = await outbox_of(context.database, waiting.case_id)
        assert kind == PlacePromoted.event_type
