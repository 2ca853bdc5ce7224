"""The daily public count of needs per site: published once per closed day by a durable
timer, small counts withheld, nothing about a person in it."""

import json
from datetime import date, datetime, time, timedelta

import pytest
from fastapi import FastAPI

from cq_shared.clock import FixedClock
from cq_shared.contracts.public import DailyNeedCounts
from cq_shared.sites import load_site_catalogue
from cq_testing import emergency_request, eventually, outbox_of, rows

from .conftest import NOW

SITE = "kaiserslautern"
BERLIN = load_site_catalogue()[SITE].zone
TODAY = NOW.astimezone(BERLIN).date()  # Monday 2 June 2025


def _after_midnight(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(0, 20), tzinfo=BERLIN)


async def test_a_closed_day_is_published_once_with_small_counts_withheld(
    serve, bearer, app: FastAPI, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CQ_TIMERS_POLL_SECONDS", "0.1")
    coordinator = bearer("coordinator", SITE)
    async with serve(app) as client:
        database = app.state.context.database
        # Five asked for a Kurzzeitpflege and a visit (shown: five is the threshold), two for
        # counselling (withheld).
        for n in range(5):
            body = emergency_request(SITE, TODAY, daughter_email=f"tochter{n}@example.org")
            assert (await client.post("/v1/requests", json=body, headers=coordinator)).is_success
        for n in range(2):
            body = emergency_request(
                SITE, TODAY, daughter_email=f"sohn{n}@example.org", needs=("counselling",)
            )
            assert (await client.post("/v1/requests", json=body, headers=coordinator)).is_success

        key = f"{SITE}/{TODAY}"
        assert await outbox_of(database, key) == []  # the day is not over
        clock.set(_after_midnight(TODAY))

        await eventually(lambda: outbox_of(database, key), "the day's counts")
        [(event_type, data)] = await outbox_of(database, key)
        assert event_type == DailyNeedCounts.event_type
        counts = DailyNeedCounts.model_validate(data)
        shown = {c.need_type: (c.count, c.withheld) for c in counts.counts}
        assert (counts.site, counts.date, counts.threshold) == (SITE, TODAY, 5)
        assert shown["short_term_care"] == (5, False)
        assert shown["volunteer_visit"] == (5, False)
        assert shown["counselling"] == (None, True)
        assert shown["day_care"] == (0, False)  # offered, nobody asked
        text = json.dumps(data)
        for personal in ("Hildegard", "Becker", "1941", "67655", "tochter", "@example.org"):
            assert personal not in text

        # The next day is scheduled; the same day is never published twice.
        [(payload,)] = await rows(
            database,
            "SELECT payload FROM timers WHERE key = :key",
            key=f"public-needs-daily:{SITE}",
        )
        assert payload == {"date": str(TODAY + timedelta(days=1))}
        clock.set(_after_midnight(TODAY + timedelta(days=1)))
        next_key = f"{SITE}/{TODAY + timedelta(days=1)}"
        await eventually(lambda: outbox_of(database, next_key), "the next day's counts")
        assert len(await outbox_of(database, key)) == 1
