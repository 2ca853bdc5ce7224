"""Registrations for courses: made (by intake's needs or by staff), listed, cancelled,
accepted and declined. Each move is the waiting list's (waitlist.queue); this module checks
who may, tells what happened (events, the course's public figures) and audits it."""

import uuid
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.courses import events
from cq_scheduling.courses.announce import announcement
from cq_scheduling.courses.repository import CourseRow
from cq_scheduling.courses.schemas import RegistrationPublic
from cq_scheduling.courses.service import CourseNotFoundError, course
from cq_scheduling.waitlist import queue
from cq_scheduling.waitlist import repository as waitlist
from cq_scheduling.waitlist.models import EntryStatus, PoolEntry
from cq_scheduling.waitlist.queue import Transition
from cq_shared.audit import AuditAction, Purpose, listed, record_access, record_accesses
from cq_shared.auth import Principal
from cq_shared.contracts.common import Urgency
from cq_shared.errors import ConflictError, NotFoundError
from cq_shared.service import ServiceContext

# The audit trail's name for a course registration (decision 0013): that a case takes a
# fall-prevention course says something about the person's health.
REGISTRATION = "course_registration"


class RegistrationNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__("There is no registration with this id.")


class CourseOverError(ConflictError):
    def __init__(self) -> None:
        super().__init__("The course's last session has begun: it takes no registrations.")


class NoOpenOfferError(ConflictError):
    def __init__(self) -> None:
        super().__init__(
            "This registration holds no open offer: only an offered place can be accepted "
            "or declined, before its hold ends."
        )


async def register(
    session: AsyncSession,
    context: ServiceContext,
    course_id: uuid.UUID,
    *,
    case_id: uuid.UUID,
    need_id: uuid.UUID | None,
    site: str,
    urgency: Urgency = Urgency.ROUTINE,
) -> RegistrationPublic:
    """Register a case of `site` for a course there: confirmed while places are free, else
    waitlisted in the queue's order (arrival, or by `urgency` where the site's rule says
    so). A case registered already gets its registration back, unchanged. The path intake's
    `prevention_course` needs take; CourseNotFoundError for a course of another site,
    CourseOverError once it has ended."""
    now = context.clock.now()
    found = await course(session, course_id, now=now)
    if found.site != site:
        raise CourseNotFoundError  # a case only sees the courses of its own site
    if found.last_session is not None and found.last_session <= now:
        raise CourseOverError
    pool = await waitlist.take_arrival(session, course_id)
    assert pool is not None, "every course has its pool (a foreign key)"
    arrival = await queue.arrive(
        session, pool, case_id=case_id, need_id=need_id, now=now, urgency=urgency
    )
    if arrival.new:
        await _tell(session, context, found, [arrival.transition], now=now)
    return _public(arrival.transition.entry, arrival.transition.position)


async def register_by_staff(
    session: AsyncSession,
    context: ServiceContext,
    who: Principal,
    course_id: uuid.UUID,
    *,
    case_id: uuid.UUID,
    need_id: uuid.UUID | None,
    urgency: Urgency = Urgency.ROUTINE,
) -> RegistrationPublic:
    now = context.clock.now()
    found = await course(session, course_id, now=now)
    who.require_site(found.site)
    # Audited before `register` takes the course's lock: registrations of one course queue
    # on that lock, so whatever can happen before it shortens everybody's wait.
    await _audit(session, who, AuditAction.CREATE, found.site, case_id, at=now)
    return await register(
        session,
        context,
        course_id,
        case_id=case_id,
        need_id=need_id,
        site=found.site,
        urgency=urgency,
    )


async def list_registrations(
    session: AsyncSession, who: Principal, course_id: uuid.UUID, *, now: datetime, limit: int
) -> list[RegistrationPublic]:
    """A course's registrations in order of arrival, the waiting ones with their position
    in the queue's order; the cases shown are audited."""
    found = await course(session, course_id, now=now)
    who.require_site(found.site)
    rows = await waitlist.entries(session, course_id, limit=limit)
    registrations = [_public(entry, position) for entry, position in rows]
    await record_accesses(
        session,
        who,
        action=AuditAction.LIST,
        resource=REGISTRATION,
        accesses=listed(((r.site, r.case_id) for r in registrations), who=who, site=found.site),
        purpose=Purpose.CARE_PLANNING,
        at=now,
    )
    return registrations


async def cancel(
    session: AsyncSession, context: ServiceContext, who: Principal, registration_id: uuid.UUID
) -> RegistrationPublic:
    """Cancel (idempotently); a held place goes to the first person waiting."""
    return await _move(session, context, who, registration_id, EntryStatus.CANCELLED)


async def decline(
    session: AsyncSession, context: ServiceContext, who: Principal, registration_id: uuid.UUID
) -> RegistrationPublic:
    """Decline an open offer; the place is offered to the next person waiting."""
    return await _move(session, context, who, registration_id, EntryStatus.DECLINED)


async def accept(
    session: AsyncSession, context: ServiceContext, who: Principal, registration_id: uuid.UUID
) -> RegistrationPublic:
    """Take an open offer: the held place becomes confirmed, its timer is cancelled."""
    return await _move(session, context, who, registration_id, EntryStatus.CONFIRMED)


async def _move(
    session: AsyncSession,
    context: ServiceContext,
    who: Principal,
    registration_id: uuid.UUID,
    to: EntryStatus,
) -> RegistrationPublic:
    now = context.clock.now()
    seen = await waitlist.entry(session, registration_id)
    if seen is None:
        raise RegistrationNotFoundError
    who.require_site(seen.site)  # before anything is locked or changed
    try:
        if to == EntryStatus.CONFIRMED:
            moved = await queue.accept(session, registration_id, now=now)
        else:
            moved = await queue.leave(session, registration_id, to, now=now)
    except queue.NotOfferedError:
        raise NoOpenOfferError from None
    if moved is None:
        raise RegistrationNotFoundError
    entry, moves = moved
    if moves:
        found = await course(session, entry.pool_id, now=now)
        await _tell(session, context, found, moves, now=now)
    await _audit(session, who, AuditAction.UPDATE, entry.site, entry.case_id, at=now)
    position = await waitlist.position(session, entry) if entry.status == "waitlisted" else None
    return _public(entry, position)


async def expire_offer(
    session: AsyncSession, context: ServiceContext, registration_id: uuid.UUID
) -> None:
    """The offer timer's work: an offer still open expires and moves on (else nothing)."""
    now = context.clock.now()
    moves = await queue.expire_offer(session, registration_id, now=now)
    if moves:
        found = await course(session, moves[0].entry.pool_id, now=now)
        await _tell(session, context, found, moves, now=now)


async def _tell(
    session: AsyncSession,
    context: ServiceContext,
    found: CourseRow,
    moves: list[Transition],
    *,
    now: datetime,
) -> None:
    """The moves' events for the cases, then the course's new public figures (last: they
    count what the moves left)."""
    figures = await announcement(session, found, now=now)
    public = [] if figures is None else [figures]
    await context.writer.add_many(session, [*events.staged(found, moves), *public])


async def _audit(
    session: AsyncSession,
    who: Principal,
    action: AuditAction,
    site: str,
    case_id: uuid.UUID,
    *,
    at: datetime,
) -> None:
    await record_access(
        session,
        who,
        action=action,
        resource=REGISTRATION,
        site=site,
        case_ids=[case_id],
        purpose=Purpose.CARE_PLANNING,
        at=at,
    )


def _public(entry: PoolEntry, position: int | None) -> RegistrationPublic:
    return RegistrationPublic(
        registration_id=entry.id,
        course_id=entry.pool_id,
        site=entry.site,
        case_id=entry.case_id,
        need_id=entry.need_id,
        status=EntryStatus(entry.status),
        position=position,
        offer_expires_at=entry.offer_expires_at,
        created_at=entry.created_at,
        updated_at=entry.updated_at,
    )
