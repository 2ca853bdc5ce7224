"""Keeping a case's recipients as intake registered them."""

import logging
import uuid
from collections.abc import Sequence

from pydantic import ValidationError
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.recipients import keys, locks, repository
from cq_notifications.recipients.models import CaseRecipient
from cq_shared.clock import Clock
from cq_shared.contracts.intake import (
    CaseKeyIssued,
    RecipientsRegistered,
    RecipientsRegisteredV2,
)
from cq_shared.crypto import SealError
from cq_shared.messaging.retry import PermanentError

log = logging.getLogger(__name__)


async def register_recipients_many(
    session: AsyncSession, payloads: Sequence[RecipientsRegistered], clock: Clock
) -> dict[uuid.UUID, str]:
    """Store the registrations (of distinct cases); a handful of statements for all of them.
    The registered cases (case id -> site), still locked exclusively until the transaction
    ends: no handler of these cases is between "recipients unknown" and parking, so the
    caller can release what was parked for them. A late or re-driven registration of an
    erased case is ignored: it must not bring erased data back."""
    await locks.lock_cases(session, [payload.case_id for payload in payloads], shared=False)
    cases = await repository.cases_for_update(
        session, {payload.case_id: payload.site for payload in payloads}
    )
    live = [payload for payload in payloads if cases[payload.case_id].erased_at is None]
    if len(live) < len(payloads):
        log.info("ignoring recipients of %s erased cases", len(payloads) - len(live))
    if not live:
        return {}
    await repository.replace_recipients_many(
        session, {payload.case_id: _recipients_of(payload) for payload in live}
    )
    await repository.mark_registered_many(
        session, [payload.case_id for payload in live], clock.now()
    )
    return {payload.case_id: cases[payload.case_id].site for payload in live}


def _recipients_of(payload: RecipientsRegistered) -> list[CaseRecipient]:
    # Keyed by id: a person listed twice is stored once (the last entry wins), rather than
    # failing the whole registration on the primary key.
    by_id = {
        recipient.recipient_id: CaseRecipient(
            case_id=payload.case_id,
            recipient_id=recipient.recipient_id,
            role=recipient.role,
            given_name=recipient.given_name,
            family_name=recipient.family_name,
            email=recipient.email,
            phone=recipient.phone,
            language=recipient.language,
        )
        for recipient in payload.recipients
    }
    return list(by_id.values())


async def register_sealed_many(
    session: AsyncSession, registrations: Sequence[RecipientsRegisteredV2], clock: Clock
) -> dict[uuid.UUID, str]:
    """Sealed registrations (of distinct cases): opened and registered where the case's key is
    here, parked sealed until it comes where not, dropped where it was destroyed (the case
    is erased). Returns the registered cases, as `register_recipients_many`."""
    case_ids = sorted(each.case_id for each in registrations)
    # Exclusively, as the key's arrival does (receive_keys): one of the two parks or finds.
    await locks.lock_cases(session, case_ids, shared=False)
    known = await keys.keys_of(session, case_ids)
    waiting = [each for each in registrations if each.case_id not in known]
    if waiting:
        await keys.park(session, waiting, clock.now())
    ready = [
        _opened(each, key) for each in registrations if (key := known.get(each.case_id)) is not None
    ]
    return await register_recipients_many(session, ready, clock) if ready else {}


def _opened(registration: RecipientsRegisteredV2, key: bytes) -> RecipientsRegistered:
    """The registration opened with its case's key. A value the key does not open (tampered
    with, or sealed for another case or with another key) or that holds no recipients is
    PermanentError: no retry can fix it, the event goes to the DLQ at once (alone: a batch
    that fails is applied again one event at a time)."""
    try:
        return keys.opened(registration, key)
    except (SealError, ValidationError) as error:
        # The case id only: the error's text could quote what was opened.
        raise PermanentError(
            f"the sealed recipients of case {registration.case_id} do not open with its key"
        ) from error


async def receive_keys(
    session: AsyncSession, issued: Sequence[CaseKeyIssued], clock: Clock
) -> dict[uuid.UUID, str]:
    """Keep the cases' keys and register what waited for them; the registered cases."""
    case_ids = sorted(each.case_id for each in issued)
    await locks.lock_cases(session, case_ids, shared=False)
    await keys.store(session, issued)
    parked = await keys.take_parked(session, case_ids)
    if not parked:
        return {}
    known = await keys.keys_of(session, [each.case_id for each in parked])
    ready: list[RecipientsRegistered] = []
    for each in parked:
        if (key := known.get(each.case_id)) is None:
            continue
        try:
            ready.append(_opened(each, key))
        except PermanentError:
            # Not the key's fault: failing would dead-letter the key and leave the case's
            # next (good) registration parked forever. The parked one can never be opened.
            log.warning(
                "dropping the parked registration of case %s: it does not open with its key",
                each.case_id,
            )
    return await register_recipients_many(session, ready, clock) if ready else {}


async def destroy_key(session: AsyncSession, case_id: uuid.UUID, clock: Clock) -> None:
    """`CaseKeyDestroyed`: the key goes, under the case's lock as every path takes it."""
    await locks.lock_cases(session, [case_id], shared=False)
    await keys.destroy(session, [case_id], clock.now())
