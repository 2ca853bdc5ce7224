"""Following places that wait (issue 9, journey 5): a single day-care day or the guest
apartment waits, is offered, promoted or ends its wait; a recurring day-care need shows its
series as scheduling tells it (booked n of m, the next day, the days that wait), and a day
of the series (cancelled with it, promoted) moves the need only through the series' event."""

import uuid
from datetime import UTC, date, datetime
from typing import Any

from fastapi import FastAPI

from cq_shared.contracts.scheduling import (
    BookingCancelled,
    BookingSeriesChanged,
    PlaceOffered,
    PlacePromoted,
    PlaceWaitEnded,
    PlaceWaitlisted,
    SeriesOccurrence,
)
from cq_testing import Publisher, eventually

from .support import day, emergency, rows
from .test_progress import Case

SITE = "zwenkau"
DAY_START = datetime(2025, 6, 10, 6, 0, tzinfo=UTC)
DAY_END = datetime(2025, 6, 10, 16, 0, tzinfo=UTC)
HELD_UNTIL = datetime(2025, 6, 4, 16, 0, tzinfo=UTC)
TUESDAYS_AND_THURSDAYS = [date(2025, 6, 3), date(2025, 6, 5), date(2025, 6, 10), date(2025, 6, 12)]


def only_need(case: dict[str, Any]) -> dict[str, Any]:
    [need] = case["needs"]
    return dict(need)


async def test_a_single_day_waits_is_offered_promoted_and_its_wait_ends(
    serve, bearer, app: FastAPI, infrastructure
) -> None:
    headers = bearer("coordinator", SITE)
    body = emergency(SITE, needs=[{"type": "day_care", "start": day(8)}])
    async with serve(app) as client, Publisher(infrastructure.kafka.bootstrap_servers) as kafka:
        case = Case(client, headers, await client.post("/v1/requests", json=body, headers=headers))
        need = (await case.need_ids())["day_care"]
        entry = uuid.uuid4()
        common: dict[str, Any] = {
            "case_id": case.id,
            "site": SITE,
            "entry_id": entry,
            "need_id": need,
            "resource_type": "day_care_place",
            "start": DAY_START,
            "end": DAY_END,
        }

        await kafka.send(PlaceWaitlisted(**common, position=3), service="scheduling")
        seen = await case.once("day_care", "waitlisted")
        assert only_need(seen)["details"] == {
            "entry_id": str(entry),
            "resource_type": "day_care_place",
            "start": "2025-06-10T06:00:00Z",
            "end": "2025-06-10T16:00:00Z",
            "position": 3,
        }
        assert seen["status"] == "in_progress"  # waiting is not arranged

        booking = uuid.uuid4()
        held = {"booking_id": booking, "resource_name": "Tagespflegeplatz 4"}
        offered = PlaceOffered(**common, **held, expires_at=HELD_UNTIL)
        await kafka.send(offered, service="scheduling")
        seen = await case.once("day_care", "offered")
        details = only_need(seen)["details"]
        assert details["offer_expires_at"] == "2025-06-04T16:00:00Z"
        assert (details["booking_id"], "position" in details) == (str(booking), False)

        await kafka.send(PlaceWaitEnded(**common, status="expired"), service="scheduling")
        seen = await case.once("day_care", "expired")
        assert only_need(seen)["details"]["reason"] == "expired"
        assert seen["status"] == "needs_attention"  # an offer ran out: somebody calls

        await kafka.send(PlaceWaitlisted(**common, position=1), service="scheduling")
        await case.once("day_care", "waitlisted")
        await kafka.send(PlacePromoted(**common, **held), service="scheduling")
        seen = await case.once("day_care", "booked")
        assert only_need(seen)["details"]["resource_name"] == "Tagespflegeplatz 4"
        assert seen["status"] == "arranged"

        # A wait of another case's place made by hand (no need): nothing here moves.
        by_hand = PlaceWaitEnded(**{**common, "need_id": None}, status="cancelled")
        await kafka.send(by_hand, service="scheduling")

        async def all_taken() -> bool | None:
            sql = "SELECT count(*) FROM inbox WHERE consumer = 'intake.case-progress'"
            return (await rows(app, sql))[0][0] == 6 or None

        await eventually(all_taken, "every event to be taken")
        assert only_need(await case.view())["state"] == "booked"


def series_of(case_id: uuid.UUID, need: uuid.UUID, *states: tuple[str, int | None], **sums: Any):
    days = [
        SeriesOccurrence(date=d, status=status, position=position)
        for d, (status, position) in zip(TUESDAYS_AND_THURSDAYS, states, strict=True)
    ]
    return BookingSeriesChanged(
        case_id=case_id,
        site=SITE,
        need_id=need,
        resource_type="day_care_place",
        occurrences=days,
        **sums,
    )


async def test_a_series_shows_booked_n_of_m_and_its_waiting_days(
    serve, bearer, app: FastAPI, infrastructure
) -> None:
    headers = bearer("coordinator", SITE)
    series = {"type": "day_care", "start": day(1), "until": day(10), "weekdays": ["tue", "thu"]}
    body = emergency(SITE, needs=[series])
    async with serve(app) as client, Publisher(infrastructure.kafka.bootstrap_servers) as kafka:
        case = Case(client, headers, await client.post("/v1/requests", json=body, headers=headers))
        need = (await case.need_ids())["day_care"]
        booked, waiting = ("booked", None), ("waitlisted", 1)

        await kafka.send(
            series_of(
                case.id, need, booked, waiting, booked, waiting,
                change="booked", total=4, booked=2, next_date=date(2025, 6, 3),
                waitlisted_dates=[date(2025, 6, 5), date(2025, 6, 12)],
            ),
            service="scheduling",
        )  # fmt: skip
        seen = await case.once("day_care", "waitlisted")
        assert only_need(seen)["details"] == {
            "resource_type": "day_care_place",
            "days_total": 4,
            "days_booked": 2,
            "next_date": "2025-06-03",
            "waitlisted_dates": ["2025-06-05", "2025-06-12"],
        }
        assert seen["status"] == "in_progress"  # days still wait: not arranged

        # A day promoted: its own event first, then the series' whole state (one
        # transaction in scheduling). The day alone does not make the series booked.
        ids = {"case_id": case.id, "site": SITE, "need_id": need, "resource_type": "day_care_place"}
        day_booking = {"booking_id": uuid.uuid4(), "resource_name": "Tagespflegeplatz 2"}
        await kafka.send(
            PlacePromoted(
                **ids, **day_booking, entry_id=uuid.uuid4(), start=DAY_START, end=DAY_END
            ),
            service="scheduling",
        )
        await kafka.send(
            series_of(
                case.id, need, booked, booked, booked, waiting,
                change="promoted", total=4, booked=3, next_date=date(2025, 6, 3),
                waitlisted_dates=[date(2025, 6, 12)],
            ),
            service="scheduling",
        )  # fmt: skip
        seen = await case.once("day_care", "waitlisted")
        await case_reaches(case, days_booked=3)

        # Cancelled from 10 June on: a BookingCancelled per day, then the series.
        await kafka.send(
            BookingCancelled(
                **ids, booking_id=uuid.uuid4(), start=DAY_START, end=DAY_END,
                reason="series_cancelled", cancelled_by="coordinator",
            ),
            service="scheduling",
        )  # fmt: skip
        cancelled = ("cancelled", None)
        await kafka.send(
            series_of(
                case.id, need, booked, booked, cancelled, cancelled,
                change="cancelled", total=2, booked=2, next_date=date(2025, 6, 3),
            ),
            service="scheduling",
        )  # fmt: skip
        seen = await case.once("day_care", "booked")
        assert only_need(seen)["details"]["days_booked"] == 2
        assert only_need(seen)["details"]["waitlisted_dates"] == []
        assert seen["status"] == "arranged"

        # Cancelled whole: nothing left to arrange.
        await kafka.send(
            series_of(
                case.id, need, cancelled, cancelled, cancelled, cancelled,
                change="cancelled", total=0, booked=0,
            ),
            service="scheduling",
        )  # fmt: skip
        seen = await case.once("day_care", "cancelled")
        assert only_need(seen)["details"]["days_total"] == 0
        assert seen["status"] == "in_progress"


async def case_reaches(case: Case, **details: Any) -> None:
    async def reached() -> bool | None:
        shown = only_need(await case.view())["details"]
        return all(shown.get(key) == value for key, value in details.items()) or None

    await eventually(reached, f"the series to show {details}")
