"""Registering volunteers: the checks a schema cannot make (the site, the clock, duplicates)."""

import uuid
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.clock import Clock
from cq_shared.http.problems import FieldProblem, ProblemError
from cq_volunteering.dates import site_today
from cq_volunteering.volunteers import repository
from cq_volunteering.volunteers.models import Volunteer
from cq_volunteering.volunteers.schemas import VolunteerCreate

# An erweitertes Führungszeugnis is renewed every few years; ten years ahead is a typo.
LONGEST_CERTIFICATE = timedelta(days=10 * 366)


async def register(
    session: AsyncSession, body: VolunteerCreate, sites: frozenset[str], clock: Clock
) -> Volunteer:
    if body.site not in sites:
        raise _invalid("site", "This deployment does not serve the site.", "unknown_site")
    if body.certificate_of_conduct_expires_on > site_today(clock) + LONGEST_CERTIFICATE:
        raise _invalid(
            "certificate_of_conduct_expires_on",
            "The expiry date is more than ten years ahead.",
            "date_too_far",
        )
    email = body.email.lower()
    if await repository.email_taken(session, body.site, email):
        raise _duplicate()
    now = clock.now()
    volunteer = Volunteer(
        id=uuid.uuid4(),
        site=body.site,
        given_name=body.given_name,
        family_name=body.family_name,
        email=email,
        phone=body.phone,
        languages=[str(language) for language in body.languages],
        skills=[str(skill) for skill in body.skills],
        postal_code=body.postal_code,
        weekdays=[str(day) for day in body.weekdays],
        max_load=body.max_load,
        certificate_of_conduct_expires_on=body.certificate_of_conduct_expires_on,
        created_at=now,
        updated_at=now,
    )
    session.add(volunteer)
    try:
        await session.flush()
    except IntegrityError:
        # The same address registered concurrently: the unique key decided.
        raise _duplicate() from None
    return volunteer


def _duplicate() -> ProblemError:
    return ProblemError(409, detail="A volunteer with this e-mail address already exists.")


def _invalid(field: str, message: str, kind: str) -> ProblemError:
    return ProblemError(
        422,
        detail="The request is not valid; see errors for each location.",
        errors=[FieldProblem(loc=["body", field], msg=message, type=kind)],
    )
