"""`/livez` (the process answers) and `/readyz` (it can reach its database and Kafka)."""

import asyncio
import logging
from collections.abc import Awaitable

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse, Response

from cq_shared.http.problems import Problem, ProblemError, problem_response

log = logging.getLogger(__name__)
CHECK_TIMEOUT_SECONDS = 2.0
RETRY_AFTER = {"Retry-After": "5"}

health_router = APIRouter(include_in_schema=False)


@health_router.get("/livez")
async def livez() -> dict[str, str]:
    return {"status": "ok"}


@health_router.get("/readyz")
async def readyz(request: Request) -> Response:
    context = request.app.state.context
    if context is None:
        return _unavailable("starting: waiting for the database and Kafka")
    checks = {
        "database": _check(context.database.ping()),
        "kafka": _check(context.producer.client.fetch_all_metadata()),
    }
    results = dict(zip(checks, await asyncio.gather(*checks.values()), strict=True))
    if all(results.values()):
        return JSONResponse({"status": "ready", "checks": _words(results)})
    failing = ", ".join(name for name, ok in results.items() if not ok)
    return _unavailable(f"not reachable: {failing}")


async def require_started(request: Request) -> None:
    """A dependency of every service route: until the service has started (database and
    Kafka reached, migrations applied), a request gets a 503 problem, never a 500."""
    if request.app.state.context is None:
        raise ProblemError(
            503, detail="The service is starting; try again shortly.", headers=RETRY_AFTER
        )


def _unavailable(detail: str) -> Response:
    problem = Problem(title="Service Unavailable", status=503, detail=detail)
    return problem_response(problem, headers=RETRY_AFTER)


async def _check(probe: Awaitable[object]) -> bool:
    try:
        await asyncio.wait_for(probe, CHECK_TIMEOUT_SECONDS)
    except Exception as error:  # noqa: BLE001 - any failure means "not ready"
        log.warning("readiness check failed: %s", type(error).__name__)
        return False
    return True


def _words(results: dict[str, bool]) -> dict[str, str]:
    return {name: "ok" if ok else "failing" for name, ok in results.items()}
