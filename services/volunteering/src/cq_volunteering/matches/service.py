"""Proposing volunteers for needs and recording their answers.

Every change and the event reporting it are written in the caller's transaction (outbox).
"""

import uuid
from collections.abc import Collection
from datetime import datetime
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_shared.audit import AuditAction, Purpose, listed, record_access, record_accesses
from cq_shared.auth import Principal, Role
from cq_shared.clock import Clock
from cq_shared.contracts import Language, NeedType
from cq_shared.contracts.common import ConsentPurpose
from cq_shared.contracts.intake import (
    AnyCaseOpened,
    CaseErased,
    ConsentChanged,
    postal_area_or_code,
)
from cq_shared.contracts.volunteering import (
    MatchAccepted,
    MatchDeclined,
    MatchProposed,
    MatchUnfilled,
    VolunteeringErasureCompleted,
)
from cq_shared.errors import ConflictError, ForbiddenError, NotFoundError
from cq_shared.service import ServiceContext
from cq_volunteering.matches import repository
from cq_volunteering.matches.candidates import candidate, need_to_fill
from cq_volunteering.matches.models import (
    ACTIVE_STATUSES,
    Match,
    MatchStatus,
    NeedStatus,
    VolunteerNeed,
)
from cq_volunteering.matches.repository import MatchRow
from cq_volunteering.matching.scoring import rank
from cq_volunteering.volunteers import repository as volunteers

# The needs volunteers take on; the others belong to scheduling and the care staff.
VOLUNTEER_NEEDS = frozenset({NeedType.VOLUNTEER_VISIT, NeedType.ACCOMPANIMENT})

# Who sees every match of their sites, and who answers for any volunteer of their sites (a
# coordinator taking the answer on the phone). A caller with none of these roles but
# `volunteer` acts for themselves only: the `volunteer_id` of their token (decision 0005,
# "Person-scoped claims").
SEE_ALL_ROLES = frozenset({Role.COORDINATOR, Role.CARE_STAFF, Role.SITE_ADMIN})
ANSWER_ALL_ROLES = frozenset({Role.COORDINATOR})
# The audit trail's name for a match (cq_shared.audit, decision 0013): it tells who helps
# with which case's need, and its reasons quote the client's postal code and language.
MATCH = "match"


# What erased client data and explanations read as afterwards.
ERASED = "erased"


class Unfilled(StrEnum):
    NO_CONSENT = "no_consent"
    NO_ELIGIBLE_VOLUNTEER = "no_eligible_volunteer"
    CANDIDATES_EXHAUSTED = "candidates_exhausted"


class MatchNotFoundError(NotFoundError):
    """No match with this id."""


class NoVolunteerIdentityError(ForbiddenError):
    """A volunteer token that names no volunteer: it may see and answer nothing."""


class NotYourMatchError(ForbiddenError):
    """A volunteer answering another volunteer's invitation."""


class MatchAnsweredError(ConflictError):
    """The match was accepted, declined or withdrawn already."""

    title = "Match already answered"


async def list_rows(
    session: AsyncSession,
    who: Principal,
    *,
    site: str | None,
    case_id: uuid.UUID | None,
    status: MatchStatus | None,
    limit: int,
    now: datetime,
) -> list[MatchRow]:
    """Matches (with the volunteer's given name) in creation order, of `site` or of every
    site the caller may see; another site's is a 403. A volunteer sees only their own."""
    volunteer_id = _acting_volunteer(who, SEE_ALL_ROLES)
    sites: Collection[str] | None
    if site is not None:
        who.require_site(site)
        sites = frozenset({site})
    else:
        sites = None if who.has_all_sites else who.sites
    rows = await repository.list_rows(
        session,
        sites=sites,
        volunteer_id=volunteer_id,
        case_id=case_id,
        status=status,
        limit=limit,
    )
    await record_accesses(
        session,
        who,
        action=AuditAction.LIST,
        resource=MATCH,
        accesses=listed(((match.site, match.case_id) for match, _ in rows), who=who, site=site),
        purpose=Purpose.VOLUNTEER_MATCHING,
        at=now,
    )
    return rows


async def read_row(
    session: AsyncSession, who: Principal, match_id: uuid.UUID, *, now: datetime
) -> MatchRow:
    """`get_row` for a caller who asked to see the match: the read is audited."""
    row = await get_row(session, who, match_id)
    await _audit(session, who, AuditAction.READ, row[0], at=now)
    return row


async def get_row(session: AsyncSession, who: Principal, match_id: uuid.UUID) -> MatchRow:
    """The match; another volunteer's is a 404 to a volunteer, as if it did not exist."""
    volunteer_id = _acting_volunteer(who, SEE_ALL_ROLES)
    row = await repository.get_row(session, match_id)
    if row is None or (volunteer_id is not None and row[0].volunteer_id != volunteer_id):
        raise MatchNotFoundError("No such match.")
    who.require_site(row[0].site)
    return row


def _acting_volunteer(who: Principal, act_for_all: frozenset[Role]) -> uuid.UUID | None:
    """None if the caller acts for every volunteer of their sites (one of `act_for_all`);
    else the volunteer the token names, the only one the caller may act for."""
    if who.has_any_role(*act_for_all):
        return None
    if who.volunteer_id is None:
        # require_roles let only the volunteer role through to here.
        raise NoVolunteerIdentityError("This token does not name a volunteer.")
    return who.volunteer_id


async def open_case_needs(
    session: AsyncSession, context: ServiceContext, case: AnyCaseOpened
) -> None:
    """Propose the best volunteer for each of a new case's volunteer needs."""
    for requested in case.needs:
        if requested.type not in VOLUNTEER_NEEDS:
            continue
        if await repository.get_need(session, requested.need_id) is not None:
            continue  # the same need in a re-sent event: it already has its proposal
        if not case.share_with_volunteers:
            # Without consent we may not show the task to any volunteer.
            await context.writer.add(
                session,
                MatchUnfilled(
                    case_id=case.case_id,
                    need_id=requested.need_id,
                    site=case.site,
                    need_type=requested.type,
                    reason=Unfilled.NO_CONSENT,
                ),
                subject=str(case.case_id),
                site=case.site,
            )
            continue
        need = VolunteerNeed(
            need_id=requested.need_id,
            case_id=case.case_id,
            site=case.site,
            need_type=requested.type,
            start=requested.start,
            client_language=case.language,
            client_postal_code=postal_area_or_code(case),
            status=NeedStatus.OPEN,
            created_at=context.clock.now(),
        )
        session.add(need)
        await session.flush()
        await propose_next(session, context, need, Unfilled.NO_ELIGIBLE_VOLUNTEER)


async def propose_next(
    session: AsyncSession, context: ServiceContext, need: VolunteerNeed, if_none: Unfilled
) -> Match | None:
    """Propose the best volunteer not yet asked, or report the need as unfilled."""
    asked = await repository.volunteers_asked(session, need.need_id)
    rows = await repository.candidates_for(session, need.site, need.need_type)
    # A certificate of conduct is valid up to a day: the site's day, not UTC's.
    today = context.sites[need.site].today(context.clock.now())
    ranked = rank(need_to_fill(need, asked), [candidate(v, load) for v, load in rows], today)
    subject = str(need.case_id)
    if not ranked:
        need.status = NeedStatus.UNFILLED
        session.add(need)
        unfilled = MatchUnfilled(
            case_id=need.case_id,
            need_id=need.need_id,
            site=need.site,
            need_type=NeedType(need.need_type),
            reason=if_none,
        )
        await context.writer.add(session, unfilled, subject=subject, site=need.site)
        return None
    best = ranked[0]
    volunteer = next(v for v, _ in rows if v.id == best.candidate.volunteer_id)
    match = Match(
        id=uuid.uuid4(),
        case_id=need.case_id,
        need_id=need.need_id,
        site=need.site,
        need_type=need.need_type,
        volunteer_id=volunteer.id,
        status=MatchStatus.PROPOSED,
        score=best.score,
        reasons=[reason.as_json() for reason in best.reasons],
        created_at=context.clock.now(),
    )
    need.status = NeedStatus.OPEN
    session.add_all([need, match])
    await session.flush()
    proposed = MatchProposed(
        match_id=match.id,
        case_id=match.case_id,
        need_id=match.need_id,
        site=match.site,
        need_type=NeedType(match.need_type),
        volunteer_id=volunteer.id,
        volunteer_given_name=volunteer.given_name,
        volunteer_email=volunteer.email,
        volunteer_language=Language(volunteer.languages[0]),
        score=match.score,
    )
    await context.writer.add(session, proposed, subject=subject, site=need.site)
    return match


async def accept(
    session: AsyncSession, context: ServiceContext, match_id: uuid.UUID, who: Principal
) -> Match:
    match = await _answer(session, context.clock, match_id, who, MatchStatus.ACCEPTED)
    need = await _need_of(session, match)
    need.status = NeedStatus.FILLED
    session.add(need)
    volunteer = await volunteers.get(session, match.volunteer_id)
    assert volunteer is not None  # a foreign key guarantees it
    accepted = MatchAccepted(
        match_id=match.id,
        case_id=match.case_id,
        need_id=match.need_id,
        site=match.site,
        need_type=NeedType(match.need_type),
        volunteer_id=match.volunteer_id,
        volunteer_given_name=volunteer.given_name,
    )
    await context.writer.add(session, accepted, subject=str(match.case_id), site=match.site)
    return match


async def decline(
    session: AsyncSession, context: ServiceContext, match_id: uuid.UUID, who: Principal
) -> Match:
    """Record the decline and ask the next best volunteer (or report the need unfilled)."""
    match = await _answer(session, context.clock, match_id, who, MatchStatus.DECLINED)
    declined = MatchDeclined(
        match_id=match.id,
        case_id=match.case_id,
        need_id=match.need_id,
        site=match.site,
        volunteer_id=match.volunteer_id,
    )
    await context.writer.add(session, declined, subject=str(match.case_id), site=match.site)
    need = await _need_of(session, match)
    await propose_next(session, context, need, Unfilled.CANDIDATES_EXHAUSTED)
    return match


async def consent_changed(
    session: AsyncSession, context: ServiceContext, change: ConsentChanged
) -> None:
    """Sharing with volunteers withdrawn: every open proposal and accepted visit of the case
    ends and nobody is asked again. Given again: the withdrawn needs are proposed anew.
    (Needs that arrived without consent were never kept, so there is nothing to reopen.)"""
    if change.purpose is not ConsentPurpose.SHARE_WITH_VOLUNTEERS:
        return
    now = context.clock.now()
    needs = await repository.needs_of_case(session, change.case_id)
    if change.granted:
        for need in needs:
            if need.status is NeedStatus.WITHDRAWN:
                need.status = NeedStatus.OPEN
                session.add(need)
                await propose_next(session, context, need, Unfilled.NO_ELIGIBLE_VOLUNTEER)
        return
    for need in needs:
        if need.status is not NeedStatus.UNFILLED:
            need.status = NeedStatus.WITHDRAWN
            session.add(need)
    for match in await repository.matches_of_case(session, change.case_id):
        if match.status in ACTIVE_STATUSES:
            match.status = MatchStatus.WITHDRAWN
            match.decided_at = now
            session.add(match)


async def erase_case(session: AsyncSession, context: ServiceContext, case: CaseErased) -> None:
    """The client withdrew consent: end every open or accepted match and keep only what
    statistics need (need type, site, scores), not the client's postal code or language;
    then send the receipt intake gathers (`volunteering.erasure.completed.v1`)."""
    now = context.clock.now()
    case_id = case.case_id
    for need in await repository.needs_of_case(session, case_id):
        need.status = NeedStatus.WITHDRAWN
        need.client_postal_code = ERASED
        need.client_language = ERASED
        session.add(need)
    for match in await repository.matches_of_case(session, case_id):
        if match.status in ACTIVE_STATUSES:
            match.status = MatchStatus.WITHDRAWN
            match.decided_at = now
        # The explanations quote the client's postal code and language.
        match.reasons = [{**reason, "explanation": ERASED} for reason in match.reasons]
        session.add(match)
    receipt = VolunteeringErasureCompleted(case_id=case_id, site=case.site, erased_at=now)
    await context.writer.add(session, receipt, subject=str(case_id), site=case.site)


async def _answer(
    session: AsyncSession,
    clock: Clock,
    match_id: uuid.UUID,
    who: Principal,
    status: MatchStatus,
) -> Match:
    volunteer_id = _acting_volunteer(who, ANSWER_ALL_ROLES)
    match = await repository.lock_match(session, match_id)
    if match is None:
        raise MatchNotFoundError("No such match.")
    who.require_site(match.site)
    if volunteer_id is not None and match.volunteer_id != volunteer_id:
        # Before the status check: the answer says nothing about someone else's invitation.
        raise NotYourMatchError("Volunteers answer only their own invitations.")
    if match.status != MatchStatus.PROPOSED:
        raise MatchAnsweredError(
            f"Only a proposed match can be answered; this one is {match.status}."
        )
    match.status = status
    match.decided_at = clock.now()
    session.add(match)
    # Written now, so that the partial unique index sees the need free for the next proposal.
    await session.flush()
    await _audit(session, who, AuditAction.UPDATE, match, at=match.decided_at)
    return match


async def _audit(
    session: AsyncSession, who: Principal, action: AuditAction, match: Match, *, at: datetime
) -> None:
    await record_access(
        session,
        who,
        action=action,
        resource=MATCH,
        site=match.site,
        case_ids=[match.case_id],
        purpose=Purpose.VOLUNTEER_MATCHING,
        at=at,
    )


async def _need_of(session: AsyncSession, match: Match) -> VolunteerNeed:
    need = await repository.get_need(session, match.need_id)
    assert need is not None  # a foreign key guarantees it
    return need
