"""A service that declares timer kinds runs a timer runner: a timer scheduled through a route
fires in the running app, with the handler built from the service's context."""

from collections.abc import Callable, Mapping
from contextlib import AbstractAsyncContextManager
from datetime import timedelta

import httpx
import pytest
from fastapi import APIRouter, FastAPI, Request
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.clock import FixedClock
from cq_shared.db.database import Database
from cq_shared.db.dependencies import SessionDep
from cq_shared.service import ServiceContext, ServiceSpec, create_service_app
from cq_shared.settings import DatabaseSettings
from cq_shared.timers import Timer, TimerHandler, schedule_timer
from cq_testing import count, eventually

from .support import T0, prepared_database, record_effect


def build(clock: FixedClock) -> FastAPI:
    router = APIRouter()

    @router.post("/v1/reminders/{key}", status_code=202)
    async def remind(key: str, session: SessionDep, request: Request) -> None:
        context: ServiceContext = request.app.state.context
        await schedule_timer(
            session,
            key=key,
            kind="test.effect",
            at=context.clock.now() + timedelta(minutes=10),
            payload={},
            site="muenster",
        )

    async def tables(context: ServiceContext) -> None:
        await prepared_database(context.database.url)

    def timers(context: ServiceContext) -> Mapping[str, TimerHandler]:
        async def effect(session: AsyncSession, timer: Timer) -> None:
            assert context.clock is clock
            await record_effect(session, timer)

        return {"test.effect": effect}

    spec = ServiceSpec(
        name="timer-demo", title="timers", routers=[router], on_startup=[tables], timers=timers
    )
    return create_service_app(spec, clock=clock)


async def test_a_service_with_timer_kinds_fires_its_timers(
    serve: Callable[[FastAPI], AbstractAsyncContextManager[httpx.AsyncClient]],
    fresh_database_url: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CQ_TIMERS_POLL_SECONDS", "0.1")
    clock = FixedClock(T0)
    database = Database(DatabaseSettings(url=fresh_database_url, pool_size=1))
    async with serve(build(clock)) as client:
        response = await client.post("/v1/reminders/case-9:reminder")
        assert response.status_code == 202
        assert await count(database, "SELECT count(*) FROM timers") == 1
        assert await count(database, "SELECT count(*) FROM timer_effects") == 0

        clock.set(T0 + timedelta(minutes=10))
        await eventually(
            lambda: count(database, "SELECT count(*) FROM timer_effects"), "the timer firing"
        )
        assert await count(database, "SELECT count(*) FROM timers") == 0
    await database.dispose()
