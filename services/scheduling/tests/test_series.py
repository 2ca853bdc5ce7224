"""Zwenkau's day guest every Tuesday and Thursday for 8 weeks, some days full: the free days
are booked, the full ones waitlisted one by one; cancelling from a date on frees exactly those
days and gives them to whoever waits."""

from datetime import date, timedelta

from cq_shared.contracts import NeedType
from cq_shared.contracts.common import Weekday
from cq_shared.contracts.scheduling import (
    BookingCancelled,
    BookingSeriesChanged,
    PlacePromoted,
    PlaceWaitEnded,
    PlaceWaitlisted,
)
from cq_shared.service import ServiceContext
from cq_testing import count, outbox_of, rows

from .places_support import ZW, fill, handle, series_need
from .support import case_opened, need

FIRST, LAST = date(2030, 3, 5), date(2030, 4, 25)  # Tuesday to Thursday, 8 weeks
DAYS = [
    FIRST + timedelta(days=n) for n in range(52) if (FIRST + timedelta(days=n)).weekday() in (1, 3)
]
FULL = [date(2030, 3, 12), date(2030, 3, 21), date(2030, 4, 11)]
FROM = date(2030, 4, 2)


async def test_a_series_books_the_free_days_and_waits_on_the_full_ones(
    serve, demo_app, bearer
) -> None:
    assert len(DAYS) == 16
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        for day in FULL:
            await fill(context, day)
        await fill(context, FROM, 11)  # the series takes the last place of 2 April
        wanted = series_need(FIRST, LAST, Weekday.TUE, Weekday.THU)
        guest = case_opened(ZW, wanted)
        await handle(context, guest)
        later = case_opened(ZW, need(NeedType.DAY_CARE, FROM))  # waits for 2 April
        await handle(context, later)

        [(kind, data)] = await outbox_of(context.database, guest.case_id)
        assert kind == BookingSeriesChanged.event_type
        booked = BookingSeriesChanged.model_validate(data)
        assert (booked.change, booked.total, booked.booked) == ("booked", 16, 13)
        assert booked.waitlisted_dates == FULL
        assert booked.next_date == FIRST
        states = {o.date: o.status for o in booked.occurrences}
        assert states == {day: "waitlisted" if day in FULL else "booked" for day in DAYS}
        assert all(o.position == 1 for o in booked.occurrences if o.status == "waitlisted")
        taken = await rows(
            context.database,
            "SELECT starts_at FROM bookings WHERE need_id = :need AND status = 'confirmed'",
            need=wanted.need_id,
        )
        assert sorted(context.sites[ZW].today(start) for (start,) in taken) == [
            day for day in DAYS if day not in FULL
        ]
        [(kind, _)] = await outbox_of(context.database, later.case_id)
        assert kind == PlaceWaitlisted.event_type

        coordinator = bearer("coordinator", ZW)
        url = f"/v1/series/{wanted.need_id}/cancel"
        cancelled = await client.post(url, json={"from": str(FROM)}, headers=coordinator)
        assert cancelled.status_code == 200, cancelled.text
        state = BookingSeriesChanged.model_validate(cancelled.json())
        kept = [day for day in DAYS if day < FROM]
        assert (state.total, state.booked) == (len(kept), len(kept) - 2)
        assert state.waitlisted_dates == FULL[:2]
        assert {o.date for o in state.occurrences if o.status == "cancelled"} == {
            day for day in DAYS if day >= FROM
        }
        freed = await rows(
            context.database,
            "SELECT starts_at FROM bookings WHERE need_id = :need AND status = 'cancelled'",
            need=wanted.need_id,
        )
        assert sorted(context.sites[ZW].today(start) for (start,) in freed) == [
            day for day in DAYS if day >= FROM and day not in FULL
        ]
        # The series' events: booked, one cancellation per freed booking, the ended wait
        # of 11 April, and the new state.
        told = [kind for kind, _ in await outbox_of(context.database, guest.case_id)]
        assert told.count(BookingCancelled.event_type) == 7
        assert told.count(PlaceWaitEnded.event_type) == 1
        assert told[-1] == BookingSeriesChanged.event_type
        # 2 April went to the one waiting for it.
        told_later = [kind for kind, _ in await outbox_of(context.database, later.case_id)]
        assert told_later == [PlaceWaitlisted.event_type, PlacePromoted.event_type]
        until = FROM + timedelta(days=2)
        query = f"type=day_care_place&from={FROM}&to={until}"
        day = await client.get(f"/v1/sites/{ZW}/availability?{query}", headers=coordinator)
        figures = {item["date"]: item["free"] for item in day.json()["items"]}
        assert figures == {"2030-04-02": 0, "2030-04-03": 12, "2030-04-04": 12}

        again = await client.post(url, json={"from": str(FROM)}, headers=coordinator)
        assert again.status_code == 200, again.text
        assert (
            told
            == [kind for kind, _ in await outbox_of(context.database, guest.case_id)][: len(told)]
        )


async def test_series_refusals_write_nothing(serve, demo_app, bearer) -> None:
    async with serve(demo_app) as client:
        context: ServiceContext = demo_app.state.context
        wanted = series_need(FIRST, FIRST + timedelta(days=14), Weekday.TUE)
        await handle(context, case_opened(ZW, wanted))
        before = await count(context.database, "SELECT count(*) FROM outbox")
        coordinator = bearer("coordinator", ZW)
        unknown = await client.post(
            f"/v1/series/{need(NeedType.DAY_CARE).need_id}/cancel", headers=coordinator
        )
        assert unknown.status_code == 404
        assert unknown.headers["content-type"] == "application/problem+json"
        url = f"/v1/series/{wanted.need_id}/cancel"
        elsewhere = await client.post(url, headers=bearer("coordinator", "kaiserslautern"))
        assert elsewhere.status_code == 403
        carer = await client.post(url, headers=bearer("care_staff", ZW))
        assert carer.status_code == 403
        for body in ({"from": "someday"}, {"since": "2030-03-05"}):
            bad = await client.post(url, json=body, headers=coordinator)
            assert bad.status_code == 422, body
        assert await count(context.database, "SELECT count(*) FROM outbox") == before
        assert (
            await count(
                context.database, "SELECT count(*) FROM bookings WHERE status = 'cancelled'"
            )
            == 0
        )
