"""A client withdrew consent (CaseErased): the case's people are forgotten."""

import uuid

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.recipients import keys, locks, repository
from cq_shared.clock import Clock


async def forget_recipients(
    session: AsyncSession, case_id: uuid.UUID, site: str, clock: Clock
) -> None:
    """Delete the case's recipients and leave its row as a tombstone (ids only): handlers that
    meet it later skip the case instead of waiting for recipients that will never come.

    Takes the case's lock exclusively and its row lock first, held until the transaction
    ends: this waits for any handler still writing deliveries for the case, and none starts
    after it, so the caller can stop the case's deliveries without missing one."""
    await locks.lock_cases(session, [case_id], shared=False)
    await repository.case_for_update(session, case_id, site)
    await repository.mark_erased(session, case_id, clock.now())
    await repository.delete_recipients(session, case_id)
    # The key goes too (kept as "destroyed"), and a registration still waiting for it.
    await keys.destroy(session, [case_id], clock.now())
    await keys.take_parked(session, [case_id])
