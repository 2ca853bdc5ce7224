"""Domain errors that know their HTTP status, as polar's `PolarError(message, status_code)`.

Services raise subclasses of these from their service code (`NoSuchCaseError(NotFoundError)`,
`ResourceTakenError(ConflictError)` ...); `cq_shared.http.problems.install_problem_handlers` renders
every one as an RFC 9457 problem in one place. The domain knows what went wrong and which
status says so; it never builds a response. `detail` is shown to the caller: English, and
never a submitted value (request bodies carry health data).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

ABOUT_BLANK = "about:blank"
INVALID_REQUEST = "The request is not valid; see errors for each location."


@dataclass(frozen=True)
class FieldError:
    """Where in the request one problem is, in FastAPI's form (`["body", "needs", 0,
    "start"]`), what is wrong, and a machine-readable kind (`date_in_past`)."""

    loc: tuple[str | int, ...]
    msg: str
    type: str

    @classmethod
    def in_body(cls, *loc: str | int, msg: str, type: str) -> "FieldError":
        return cls(loc=("body", *loc), msg=msg, type=type)


class DomainError(Exception):
    """Something the caller asked for cannot be done. `status` is the HTTP status a
    subclass stands for; `title` defaults to that status's reason phrase."""

    status: int = 400
    title: str | None = None

    def __init__(
        self,
        detail: str | None = None,
        *,
        title: str | None = None,
        errors: Sequence[FieldError] = (),
        headers: Mapping[str, str] | None = None,
        problem_type: str = ABOUT_BLANK,
    ) -> None:
        self.detail = detail
        if title is not None:
            self.title = title
        self.errors = tuple(errors)
        self.headers = dict(headers) if headers else None
        self.problem_type = problem_type
        super().__init__(detail or type(self).__name__)


class BadRequestError(DomainError):
    status = 400


class UnauthenticatedError(DomainError):
    status = 401


class ForbiddenError(DomainError):
    status = 403


class NotFoundError(DomainError):
    status = 404


class ConflictError(DomainError):
    status = 409


class GoneError(DomainError):
    status = 410


class InvalidError(DomainError):
    """422: the request is well-formed but breaks a rule; each problem names its field."""

    status = 422

    def __init__(self, errors: Sequence[FieldError] = (), detail: str = INVALID_REQUEST) -> None:
        super().__init__(detail, errors=errors)

    @classmethod
    def at(cls, *loc: str | int, msg: str, type: str) -> "InvalidError":
        """One problem at a body location: `InvalidError.at("start", msg=..., type=...)`."""
        return cls([FieldError.in_body(*loc, msg=msg, type=type)])


class UnavailableError(DomainError):
    status = 503
