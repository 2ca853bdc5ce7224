"""Erasing a client: here at once, elsewhere by `intake.case.erased.v1`, with receipts.

Intake erases its own copy of the person in the request's transaction, drops the case's
events from its outbox, and stages `CaseErased` and its own receipt. Each other service
answers with an `ErasureCompleted` receipt of its own; `status` shows how far it got. A
service that is down meanwhile reads the event when it returns (Kafka keeps it)."""

import uuid
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_intake.cases.models import Case
from cq_intake.erasure import repository
from cq_intake.erasure.schemas import ErasureStatus, ServiceErasure, ServiceErasureState
from cq_shared.audit import AuditAction, Purpose, record_access
from cq_shared.auth import Principal
from cq_shared.contracts.common import ErasureCompleted
from cq_shared.contracts.intake import CaseErased, CaseKeyDestroyed, IntakeErasureCompleted
from cq_shared.errors import NotFoundError
from cq_shared.messaging.outbox import Staged
from cq_shared.service import ServiceContext

# In the order the status lists them.
SERVICES = ("intake", "scheduling", "volunteering", "notifications")


class CaseNotFoundError(NotFoundError):
    """No case with this id (an erased case is still found: its anonymous row stays)."""


class NoErasureError(NotFoundError):
    """The case exists, but nobody asked to erase it."""


async def request_erasure(
    session: AsyncSession, context: ServiceContext, case_id: uuid.UUID, who: Principal
) -> ErasureStatus:
    """Erase the case's person here and ask every service to; asking again changes nothing."""
    case = await repository.lock_case(session, case_id)
    if case is None:
        raise CaseNotFoundError("No case with this id.")
    who.require_site(case.site)
    if case.erased_at is None:
        await erase(session, context, case)
        await _audit(session, who, case, AuditAction.ERASE, context)
    return await _status(session, context, case)


async def erase(session: AsyncSession, context: ServiceContext, case: Case) -> None:
    """The erasure itself, for a locked case not erased yet (also a consent withdrawal)."""
    now = context.clock.now()
    await repository.erase_personal_data(session, case.id, now)
    await repository.add_receipt(session, case.id, context.name, now)
    subject, site = str(case.id), case.site
    await context.writer.add_many(
        session,
        [
            Staged(CaseKeyDestroyed(case_id=case.id, site=site), subject, site),
            Staged(CaseErased(case_id=case.id, site=site), subject, site),
            Staged(
                IntakeErasureCompleted(case_id=case.id, site=site, erased_at=now), subject, site
            ),
        ],
    )
    case.erased_at = now


async def status(
    session: AsyncSession, context: ServiceContext, case_id: uuid.UUID, who: Principal
) -> ErasureStatus:
    case = await session.get(Case, case_id)
    if case is None:
        raise CaseNotFoundError("No case with this id.")
    who.require_site(case.site)
    if case.erased_at is None:
        raise NoErasureError("No erasure was requested for this case.")
    await _audit(session, who, case, AuditAction.READ, context)
    return await _status(session, context, case)


async def _audit(
    session: AsyncSession, who: Principal, case: Case, action: AuditAction, context: ServiceContext
) -> None:
    await record_access(
        session,
        who,
        action=action,
        resource="erasure",
        site=case.site,
        case_ids=[case.id],
        purpose=Purpose.ERASURE,
        at=context.clock.now(),
    )


async def record_receipt(session: AsyncSession, service: str, receipt: ErasureCompleted) -> None:
    await repository.add_receipt(session, receipt.case_id, service, receipt.erased_at)


async def _status(session: AsyncSession, context: ServiceContext, case: Case) -> ErasureStatus:
    assert case.erased_at is not None
    receipts = await repository.receipts_of(session, case.id)
    services = {name: _state(name, receipts.get(name), context, case.site) for name in SERVICES}
    return ErasureStatus(
        case_id=case.id,
        requested_at=case.erased_at,
        services=services,
        complete=all(s.status is not ServiceErasureState.PENDING for s in services.values()),
    )


def _state(
    service: str, erased_at: datetime | None, context: ServiceContext, site: str
) -> ServiceErasure:
    if erased_at is not None:
        return ServiceErasure(status=ServiceErasureState.ERASED, erased_at=erased_at)
    if not context.sites.serves(site, service):
        return ServiceErasure(status=ServiceErasureState.NOT_RUNNING)
    return ServiceErasure(status=ServiceErasureState.PENDING)
