"""RFC 9457 problem details: one error shape for every CareQuartier HTTP API.

Every error leaves a service as ``application/problem+json``. Two rules matter more than
the format: request bodies carry health data, so validation errors never echo submitted
values; and a crash never leaks internals (exception text, tracebacks) to the caller.
"""

from collections.abc import Mapping, Sequence
from http import HTTPStatus
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.utils import is_body_allowed_for_status_code
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from cq_shared.errors import ABOUT_BLANK, INVALID_REQUEST, DomainError, FieldError

PROBLEM_CONTENT_TYPE = "application/problem+json"


class FieldProblem(BaseModel):
    """Where one validation error is and what is wrong, without the offending value."""

    model_config = ConfigDict(frozen=True)

    loc: list[str | int]
    msg: str
    type: str


class Problem(BaseModel):
    """The RFC 9457 body. ``errors`` is the extension member for validation failures."""

    model_config = ConfigDict(frozen=True)

    type: str = ABOUT_BLANK
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    errors: list[FieldProblem] | None = None


class ProblemResponse(JSONResponse):
    """A JSON response with the problem media type, usable in ``responses=`` for OpenAPI."""

    media_type = PROBLEM_CONTENT_TYPE


class ProblemError(DomainError):
    """A problem with its status given explicitly: the kernel's own HTTP layer (auth,
    readiness) raises it. Services raise `cq_shared.errors.DomainError` subclasses instead,
    which say what went wrong; both render through the one handler installed below."""

    def __init__(
        self,
        status: int,
        title: str | None = None,
        detail: str | None = None,
        *,
        problem_type: str = ABOUT_BLANK,
        headers: Mapping[str, str] | None = None,
        errors: Sequence[FieldError] = (),
    ) -> None:
        self.status = status
        super().__init__(
            detail, title=title, errors=errors, headers=headers, problem_type=problem_type
        )
        self.title = self.title or status_phrase(status)

    def to_problem(self, instance: str | None = None) -> Problem:
        return domain_problem(self, instance)


def domain_problem(error: DomainError, instance: str | None = None) -> Problem:
    """The RFC 9457 body of a domain error: its status, title (the status phrase unless the
    error names one), detail and field errors, and the request path as the instance."""
    return Problem(
        type=error.problem_type,
        title=error.title or status_phrase(error.status),
        status=error.status,
        detail=error.detail,
        instance=instance,
        errors=[
            FieldProblem(loc=list(field.loc), msg=field.msg, type=field.type)
            for field in error.errors
        ]
        or None,
    )


def status_phrase(status: int) -> str:
    """RFC 9457 says an ``about:blank`` problem's title is the status's reason phrase."""
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Error"


def problem_response(problem: Problem, headers: Mapping[str, str] | None = None) -> Response:
    if not is_body_allowed_for_status_code(problem.status):
        # 204/304 and 1xx must not carry a body; only the headers survive.
        return Response(status_code=problem.status, headers=headers)
    return ProblemResponse(
        problem.model_dump(mode="json", exclude_none=True),
        status_code=problem.status,
        headers=headers,
    )


def _instance(request: Request) -> str:
    # The path only: query strings may carry personal data (names, dates of birth).
    return request.url.path


async def _handle_domain_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, DomainError)
    return problem_response(domain_problem(exc, _instance(request)), exc.headers)


async def _handle_http_exception(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    title = status_phrase(exc.status_code)
    # Starlette fills a missing detail with the reason phrase; repeating the title adds
    # nothing. Non-string details (FastAPI allows Any) are dropped rather than guessed at:
    # services that need structure raise a DomainError.
    detail = exc.detail if isinstance(exc.detail, str) and exc.detail != title else None
    problem = Problem(
        title=title, status=exc.status_code, detail=detail, instance=_instance(request)
    )
    # Headers such as WWW-Authenticate (401) and Allow (405) are part of the protocol.
    return problem_response(problem, exc.headers)


def _field_problem(error: Mapping[str, Any]) -> FieldProblem:
    # Deliberately picks loc/msg/type only: pydantic's error dicts also hold "input" and
    # "ctx", which contain what the caller submitted, i.e. possibly health data.
    return FieldProblem(
        loc=[part if isinstance(part, int) else str(part) for part in error.get("loc", ())],
        msg=str(error.get("msg", "")),
        type=str(error.get("type", "")),
    )


async def _handle_validation_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    # By number: the enum member's name differs between Python 3.11 and 3.13.
    status = HTTPStatus(422)
    problem = Problem(
        title=status.phrase,
        status=int(status),
        detail=INVALID_REQUEST,
        instance=_instance(request),
        errors=[_field_problem(error) for error in exc.errors()],
    )
    return problem_response(problem)


async def _handle_unexpected(request: Request, exc: Exception) -> Response:
    # No logging here: Starlette's ServerErrorMiddleware re-raises after this response is
    # sent, so the server (uvicorn) logs the traceback once. Nothing of exc reaches the body.
    status = HTTPStatus.INTERNAL_SERVER_ERROR
    problem = Problem(title=status.phrase, status=int(status), instance=_instance(request))
    return problem_response(problem)


def install_problem_handlers(app: FastAPI) -> None:
    """Make every error from ``app`` an ``application/problem+json`` response."""
    # Every DomainError subclass (and ProblemError) by the class hierarchy: one place.
    app.add_exception_handler(DomainError, _handle_domain_error)
    app.add_exception_handler(StarletteHTTPException, _handle_http_exception)
    app.add_exception_handler(RequestValidationError, _handle_validation_error)
    app.add_exception_handler(Exception, _handle_unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, object]]:
    """A route's documented error answers (`responses=` of a FastAPI route): each status an
    RFC 9457 problem."""
    return {status: {"model": Problem} for status in statuses}
