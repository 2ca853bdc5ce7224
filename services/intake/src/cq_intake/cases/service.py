"""What intake does with a case: open it, show it, list cases. Each function runs inside the
caller's transaction (the HTTP request's), so a case, its audit row and its events are
written together or not at all."""

import uuid
from collections.abc import Callable
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_intake.cases import events, repository
from cq_intake.cases.age import age_band
from cq_intake.cases.models import Case, Client, Contact, Need
from cq_intake.cases.schemas import (
    CasePage,
    CaseSummary,
    CaseView,
    ClientView,
    NeedDetails,
    NeedView,
    NewCase,
)
from cq_intake.cases.status import CaseStatus, NeedState
from cq_shared.audit import AuditAction, Purpose, listed, record_access, record_accesses
from cq_shared.auth import Principal
from cq_shared.contracts.common import Urgency
from cq_shared.crypto import new_case_key
from cq_shared.errors import GoneError, NotFoundError
from cq_shared.messaging.outbox import EventWriter, Staged

# The audit trail's name for what these functions touch (cq_shared.audit, decision 0013).
CASE = "case"


class CaseNotFoundError(NotFoundError):
    """No case with the id asked for."""


class CaseErasedError(GoneError):
    """The case's personal data was erased (consent withdrawn): it is gone for good."""


async def open_case(
    session: AsyncSession,
    writer: EventWriter,
    request: NewCase,
    *,
    who: Principal,
    now: datetime,
    new_id: Callable[[], uuid.UUID] = uuid.uuid4,
) -> Case:
    """Store a validated request as a case and stage its events: first who may be written
    to, then the case itself, so notifications knows the recipients when the case arrives."""
    case = Case(
        id=new_id(),
        site=request.site,
        channel=request.channel,
        urgency=request.urgency,
        status=CaseStatus.OPEN,
        consent_data_processing=request.consent.data_processing,
        consent_notify_contacts=request.consent.notify_contacts,
        consent_share_with_volunteers=request.consent.share_with_volunteers,
        created_by=who.subject,
        created_at=now,
        updated_at=now,
    )
    client = Client(
        id=new_id(),
        case_id=case.id,
        age_band=age_band(request.client.birth_date, now.date()),
        **request.client.model_dump(),
    )
    contacts = [
        Contact(id=new_id(), case_id=case.id, position=index, **contact.model_dump())
        for index, contact in enumerate(request.contacts)
    ]
    needs = [
        Need(
            id=new_id(),
            case_id=case.id,
            position=index,
            state=NeedState.REQUESTED,
            details={},
            updated_at=now,
            **need.model_dump(),
        )
        for index, need in enumerate(request.needs)
    ]
    await repository.add_case(session, case, client, contacts, needs)
    await record_access(
        session,
        who,
        action=AuditAction.CREATE,
        resource=CASE,
        site=case.site,
        case_ids=[case.id],
        purpose=Purpose.CASE_WORK,
        at=now,
    )
    key = new_case_key()
    await repository.add_key(session, case.id, key)
    # The key first, then who may be written to (sealed with it), then the case itself, so
    # notifications knows the recipients when the case arrives.
    subject, site = str(case.id), case.site
    await writer.add_many(
        session,
        [
            Staged(events.key_issued(case, key), subject, site),
            Staged(events.sealed_recipients_registered(case, client, contacts, key), subject, site),
            Staged(events.case_opened(case, client, needs), subject, site),
        ],
    )
    return case


async def read_case(
    session: AsyncSession, case_id: uuid.UUID, *, who: Principal, now: datetime
) -> CaseView:
    """The case with its client and needs; every successful read leaves an audit row."""
    case = await repository.get_case(session, case_id)
    if case is None:
        raise CaseNotFoundError("No case with this id.")
    who.require_site(case.site)
    if case.erased_at is not None:
        raise CaseErasedError("The case's personal data was erased.")
    client = await repository.client_of(session, case.id)
    needs = await repository.needs_of(session, case.id)
    await record_access(
        session,
        who,
        action=AuditAction.READ,
        resource=CASE,
        site=case.site,
        case_ids=[case.id],
        purpose=Purpose.CASE_WORK,
        at=now,
    )
    return CaseView(
        case_id=case.id,
        site=case.site,
        status=case.status,
        urgency=case.urgency,
        channel=case.channel,
        created_at=case.created_at,
        updated_at=case.updated_at,
        client=ClientView.model_validate(client, from_attributes=True),
        needs=[_need_view(need) for need in needs],
    )


def _need_view(need: Need) -> NeedView:
    return NeedView(
        need_id=need.id,
        type=need.type,
        start=need.start,
        days=need.days,
        course_id=need.course_id,
        until=need.until,
        weekdays=need.series_weekdays(),
        rrule=need.rrule,
        note=need.note,
        state=need.state,
        details=NeedDetails.model_validate(need.details),
        updated_at=need.updated_at,
    )


async def list_cases(
    session: AsyncSession,
    *,
    who: Principal,
    site: str | None,
    status: CaseStatus | None,
    urgency: Urgency | None,
    limit: int,
    offset: int,
    now: datetime,
) -> CasePage:
    """Cases of the sites the caller may see; asking for another site's is a 403. The list
    is audited: one row per case shown (one without a case when none is)."""
    if site is not None:
        who.require_site(site)
        sites: frozenset[str] | None = frozenset({site})
    else:
        sites = None if who.has_all_sites else who.sites
    cases, total = await repository.page_of_cases(
        session, sites=sites, status=status, urgency=urgency, limit=limit, offset=offset
    )
    items = [
        CaseSummary(
            case_id=case.id,
            site=case.site,
            status=case.status,
            urgency=case.urgency,
            channel=case.channel,
            created_at=case.created_at,
            updated_at=case.updated_at,
        )
        for case in cases
    ]
    await record_accesses(
        session,
        who,
        action=AuditAction.LIST,
        resource=CASE,
        accesses=listed(((case.site, case.id) for case in cases), who=who, site=site),
        purpose=Purpose.CASE_WORK,
        at=now,
    )
    return CasePage(items=items, total=total, limit=limit, offset=offset)
