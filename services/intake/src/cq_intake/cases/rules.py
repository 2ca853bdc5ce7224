"""The checks a request passes before anything is written, beyond its shape: they need the
site's offer and today's date, or compare fields with each other. Each failure names its
field, in the same form as FastAPI's validation errors (`["body", "needs", 0, "start"]`).

A request that lists one person twice (the same e-mail address for two contacts, or for a
contact and the client) is refused, not de-duplicated: notifications writes to each
recipient, so the person would get every mail twice; and which of the two entries to keep
(relation, language, whether to notify) is the caller's decision, not ours to guess."""

from datetime import date, datetime, timedelta

from cq_intake.cases.schemas import NeedIn, NewCase
from cq_shared.contracts import NeedType
from cq_shared.errors import FieldError, InvalidError
from cq_shared.sites import Site

# Plans further ahead than this are not intake's business (and far-future dates only
# produce overflow somewhere downstream).
HORIZON = timedelta(days=366)
# Needs without a period make no sense: a short stay in a care home is booked for days.
NEEDS_A_PERIOD: frozenset[NeedType] = frozenset({NeedType.SHORT_TERM_CARE})


def _problem(loc: list[str | int], msg: str, kind: str) -> FieldError:
    return FieldError.in_body(*loc, msg=msg, type=kind)


def check_new_case(request: NewCase, site: Site | None, now: datetime) -> list[FieldError]:
    """Every problem of the request at once (an empty list: it may be written)."""
    problems: list[FieldError] = []
    if site is None:
        problems.append(_problem(["site"], "Unknown site.", "unknown_site"))
    # Without a site its zone is unknown; Germany's date is at most a day off UTC's.
    today = site.today(now) if site is not None else now.date()
    if request.client.birth_date > today:
        problems.append(
            _problem(["client", "birth_date"], "Birth date is in the future.", "date_in_future")
        )
    for index, contact in enumerate(request.contacts):
        if contact.notify and contact.email is None and contact.phone is None:
            problems.append(
                _problem(
                    ["contacts", index, "email"],
                    "A contact to be notified needs an email address or a phone number.",
                    "contact_unreachable",
                )
            )
    problems += _duplicate_addresses(request)
    for index, need in enumerate(request.needs):
        problems += _need_problems(index, need, site, today)
    return problems


def _duplicate_addresses(request: NewCase) -> list[FieldError]:
    """A contact whose e-mail address the client or an earlier contact already gave."""
    problems: list[FieldError] = []
    seen = {request.client.email.lower()} if request.client.email is not None else set()
    for index, contact in enumerate(request.contacts):
        if contact.email is None:
            continue
        address = contact.email.lower()
        if address in seen:
            problems.append(
                _problem(
                    ["contacts", index, "email"],
                    "This e-mail address is already given for another person of the request.",
                    "duplicate_contact",
                )
            )
        seen.add(address)
    return problems


def _need_problems(index: int, need: NeedIn, site: Site | None, today: date) -> list[FieldError]:
    problems: list[FieldError] = []
    if site is not None and not site.offers(need.type):
        problems.append(
            _problem(
                ["needs", index, "type"], "The site does not offer this need.", "need_not_offered"
            )
        )
    if need.start is not None and need.start < today:
        problems.append(
            _problem(["needs", index, "start"], "Start is in the past.", "date_in_past")
        )
    if need.start is not None and need.start > today + HORIZON:
        problems.append(
            _problem(["needs", index, "start"], "Start is more than a year ahead.", "date_too_far")
        )
    if need.type in NEEDS_A_PERIOD:
        for field in ("start", "days"):
            if getattr(need, field) is None:
                problems.append(
                    _problem(
                        ["needs", index, field],
                        f"{need.type.value} needs a start date and a number of days.",
                        "missing",
                    )
                )
    return problems


def raise_if_any(problems: list[FieldError]) -> None:
    if problems:
        raise InvalidError(problems)
