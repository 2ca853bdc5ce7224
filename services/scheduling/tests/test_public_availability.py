"""Free places per day: announced on `public.availability.v1` with every booking change, and
answered by GET /v1/sites/{site}/availability."""

import asyncio
from datetime import date

from cq_scheduling.bookings.case_needs import book_case_needs
from cq_shared.contracts import NeedType
from cq_shared.contracts.intake import CaseOpened
from cq_shared.contracts.public import PlacesAvailable
from cq_shared.db.database import Database
from cq_shared.service import ServiceContext
from cq_testing import outbox_of

from .support import KL, a_week_in_the_guest_apartment, case_opened, need

ZWENKAU_PLACES = 12  # Tagespflegeplätze in Zwenkau (demo_data.toml)


async def _handle(context: ServiceContext, case: CaseOpened) -> None:
    async with context.database.unit_of_work() as session:
        await book_case_needs(session, context, case)


async def _announced(database: Database, key: str) -> list[PlacesAvailable]:
    written = await outbox_of(database, key)
    assert {kind for kind, _ in written} <= {PlacesAvailable.event_type}
    return [PlacesAvailable.model_validate(data) for _, data in written]


async def test_concurrent_day_care_bookings_announce_each_free_count_once_in_order(
    serve, demo_app
) -> None:
    """Thirteen guests ask for the twelve places of one day at once: the day's announcements,
    in outbox (publishing) order, count down 11 ... 0 and the last one is right. Without the
    per-type lock two bookings would each count only themselves and announce one free too many."""
    day = date(2030, 3, 5)
    async with serve(demo_app):
        context: ServiceContext = demo_app.state.context
        guests = [
            case_opened("zwenkau", need(NeedType.DAY_CARE, day)) for _ in range(ZWENKAU_PLACES + 1)
        ]
        await asyncio.gather(*(_handle(context, guest) for guest in guests))

        announced = await _announced(context.database, f"zwenkau/day_care_place/{day}")
        assert [a.free for a in announced] == list(range(ZWENKAU_PLACES - 1, -1, -1))
        assert {(a.site, a.date, a.capacity) for a in announced} == {
            ("zwenkau", day, ZWENKAU_PLACES)
        }


async def test_a_booking_and_its_cancellation_announce_every_night_of_the_stay(
    serve, demo_app, bearer
) -> None:
    coordinator = bearer("coordinator", KL)
    async with serve(demo_app) as client:
        database = demo_app.state.context.database
        week = await a_week_in_the_guest_apartment(client, coordinator)  # 10 to 17 March
        made = await client.post("/v1/bookings", json=week, headers=coordinator)
        assert made.status_code == 201, made.text
        nights = [date(2030, 3, d) for d in range(10, 17)]
        for night in nights:
            [taken] = await _announced(database, f"{KL}/guest_apartment/{night}")
            assert (taken.capacity, taken.free) == (1, 0)
        # The mornings around the stay are not touched: the 9th's night ends at noon on the
        # 10th when the guest arrives, the 17th's begins when the guest leaves.
        assert await _announced(database, f"{KL}/guest_apartment/2030-03-09") == []
        assert await _announced(database, f"{KL}/guest_apartment/2030-03-17") == []

        shown = await client.get(
            f"/v1/sites/{KL}/availability?type=guest_apartment&from=2030-03-09&to=2030-03-17",
            headers=coordinator,
        )
        assert shown.status_code == 200, shown.text
        free = {item["date"]: item["free"] for item in shown.json()["items"]}
        assert free == {"2030-03-09": 1, **{str(n): 0 for n in nights}, "2030-03-17": 1}

        booking_id = made.json()["booking_id"]
        for _ in range(2):  # a second cancel changes nothing and announces nothing
            cancelled = await client.post(f"/v1/bookings/{booking_id}/cancel", headers=coordinator)
            assert cancelled.status_code == 200, cancelled.text
        for night in nights:
            figures = [a.free for a in await _announced(database, f"{KL}/guest_apartment/{night}")]
            assert figures == [0, 1]


async def test_availability_refuses_bad_periods_types_and_other_sites(
    serve, demo_app, bearer
) -> None:
    coordinator = bearer("coordinator", KL)
    async with serve(demo_app) as client:
        base = f"/v1/sites/{KL}/availability"
        backwards = await client.get(f"{base}?from=2030-03-10&to=2030-03-09", headers=coordinator)
        too_long = await client.get(f"{base}?from=2030-03-10&to=2031-03-11", headers=coordinator)
        unknown = await client.get(f"{base}?type=castle", headers=coordinator)
        elsewhere = await client.get(
            "/v1/sites/zwenkau/availability", headers=bearer("coordinator", KL)
        )
        for answer, status in ((backwards, 422), (too_long, 422), (unknown, 422), (elsewhere, 403)):
            assert answer.status_code == status, answer.text
            assert answer.headers["content-type"].startswith("application/problem+json")
        # Days whose fortnight or window leaves the calendar: refused, not a 500.
        for query in ("from=9999-12-31", "from=9999-12-30&to=9999-12-31", "from=0001-01-01"):
            answer = await client.get(f"{base}?{query}", headers=coordinator)
            assert answer.status_code == 422, (query, answer.text)
            assert answer.headers["content-type"].startswith("application/problem+json")

        whole = await client.get(f"{base}?from=2030-03-04", headers=coordinator)
        assert whole.status_code == 200, whole.text
        body = whole.json()
        assert (body["start"], body["end"]) == ("2030-03-04", "2030-03-17")  # two weeks
        kinds = {item["type"] for item in body["items"]}
        assert {"guest_apartment", "day_care_place", "counselling_room"} <= kinds
