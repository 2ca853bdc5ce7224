"""Changing consent to one purpose; withdrawing stops its future effects at once.

- `notify_contacts`: the case's recipients are registered anew (sealed) without the contacts,
  and `ConsentChanged` tells notifications to cancel what it has not sent them yet; given
  again, the contacts who asked to be notified are registered again.
- `share_with_volunteers`: `ConsentChanged` tells volunteering to withdraw its proposals and
  propose nobody; given again, it proposes again.
- `data_processing`: withdrawing it is the erasure of the person (cq_intake.erasure).
"""

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_intake.cases import events, repository
from cq_intake.cases.models import Case
from cq_intake.cases.service import CaseErasedError, CaseNotFoundError
from cq_intake.consent.schemas import ConsentChange, ConsentView
from cq_intake.erasure import repository as erasure_repository
from cq_intake.erasure import service as erasure
from cq_shared.audit import AuditAction, Purpose, record_access
from cq_shared.auth import Principal
from cq_shared.contracts.common import ConsentPurpose
from cq_shared.contracts.intake import ConsentChanged, RecipientsRegisteredV2
from cq_shared.messaging.outbox import Staged
from cq_shared.service import ServiceContext


async def change(
    session: AsyncSession,
    context: ServiceContext,
    case_id: uuid.UUID,
    change: ConsentChange,
    who: Principal,
) -> ConsentView:
    case = await erasure_repository.lock_case(session, case_id)
    if case is None:
        raise CaseNotFoundError("No case with this id.")
    who.require_site(case.site)
    if case.erased_at is not None:
        raise CaseErasedError("The case's personal data was erased.")
    await record_access(
        session,
        who,
        action=AuditAction.UPDATE,
        resource="consent",
        site=case.site,
        case_ids=[case.id],
        purpose=Purpose.CASE_WORK,
        at=context.clock.now(),
    )
    if change.purpose is ConsentPurpose.DATA_PROCESSING:
        if not change.granted:
            await erasure.erase(session, context, case)
        return view(case)
    field = f"consent_{change.purpose.value}"
    if getattr(case, field) == change.granted:
        return view(case)  # nothing changes, nothing is announced
    setattr(case, field, change.granted)
    case.updated_at = context.clock.now()
    session.add(case)
    subject, site = str(case.id), case.site
    staged = [
        Staged(
            ConsentChanged(
                case_id=case.id, site=site, purpose=change.purpose, granted=change.granted
            ),
            subject,
            site,
        )
    ]
    if change.purpose is ConsentPurpose.NOTIFY_CONTACTS:
        staged.append(Staged(await _registration(session, case), subject, site))
    await context.writer.add_many(session, staged)
    return view(case)


async def _registration(session: AsyncSession, case: Case) -> RecipientsRegisteredV2:
    """Who may be written to now, sealed with the case's key as at intake."""
    client = await repository.client_of(session, case.id)
    contacts = await repository.contacts_of(session, case.id)
    key = await repository.key_of(session, case.id)
    return events.sealed_recipients_registered(case, client, contacts, key)


def view(case: Case) -> ConsentView:
    return ConsentView(
        case_id=case.id,
        data_processing=case.consent_data_processing,
        notify_contacts=case.consent_notify_contacts,
        share_with_volunteers=case.consent_share_with_volunteers,
        erased=case.erased_at is not None,
    )
