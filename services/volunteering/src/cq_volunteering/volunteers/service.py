"""Registering, reading and listing volunteers: the checks a schema cannot make (the site,
the clock, duplicates) and who may see whom."""

import uuid
from collections.abc import Collection
from datetime import timedelta

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.auth import Principal
from cq_shared.clock import Clock
from cq_shared.errors import ConflictError, InvalidError, NotFoundError
from cq_shared.sites import SiteCatalogue
from cq_volunteering.volunteers import repository
from cq_volunteering.volunteers.models import Volunteer
from cq_volunteering.volunteers.schemas import VolunteerCreate

# An erweitertes Führungszeugnis is renewed every few years; ten years ahead is a typo.
LONGEST_CERTIFICATE = timedelta(days=10 * 366)


class VolunteerNotFoundError(NotFoundError):
    """No volunteer with this id."""


class EmailTakenError(ConflictError):
    """The site already has a volunteer with this e-mail address."""


async def list_for(
    session: AsyncSession, who: Principal, site: str | None, limit: int
) -> list[Volunteer]:
    """Volunteers of `site`, or of every site the caller may see; another site's is a 403."""
    sites: Collection[str] | None
    if site is not None:
        who.require_site(site)
        sites = frozenset({site})
    else:
        sites = None if who.has_all_sites else who.sites
    return await repository.list_for_sites(session, sites, limit)


async def get(session: AsyncSession, who: Principal, volunteer_id: uuid.UUID) -> Volunteer:
    volunteer = await repository.get(session, volunteer_id)
    if volunteer is None:
        raise VolunteerNotFoundError("No such volunteer.")
    who.require_site(volunteer.site)
    return volunteer


async def register(
    session: AsyncSession, body: VolunteerCreate, sites: SiteCatalogue, clock: Clock
) -> Volunteer:
    if not sites.serves(body.site, "volunteering"):
        raise _invalid("site", "This deployment does not serve the site.", "unknown_site")
    if (
        body.certificate_of_conduct_expires_on
        > sites[body.site].today(clock.now()) + LONGEST_CERTIFICATE
    ):
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


def _duplicate() -> EmailTakenError:
    return EmailTakenError("A volunteer with this e-mail address already exists.")


def _invalid(field: str, message: str, kind: str) -> InvalidError:
    return InvalidError.at(field, msg=message, type=kind)
