"""All SQL about deliveries. Never commits: the inbox transaction, the request or the
sender's unit of work does."""

import uuid
from collections.abc import Collection, Sequence
from datetime import datetime

from sqlalchemy import text, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries.models import Delivery, DeliveryStatus

PENDING_CHANNEL = "carequartier_deliveries_pending"


_DELIVERY_COLUMNS = (
    "delivery_id, case_id, site, event_type, event_source, event_id, recipient_key, "
    "recipient_role, recipient_address, channel, template, language, subject, body, status, "
    "attempts, created_at, next_attempt_at"
)
# One round trip: the insert, and the sender's wake-up only if a row was new (it is
# delivered when, and if, the transaction commits).
_ADD_PENDING = text(
    f"""
    WITH inserted AS (
        INSERT INTO deliveries ({_DELIVERY_COLUMNS})
        VALUES ({", ".join(":" + name for name in _DELIVERY_COLUMNS.split(", "))})
        ON CONFLICT ON CONSTRAINT uq_deliveries_event_recipient DO NOTHING
        RETURNING delivery_id
    )
    SELECT pg_notify(:wake_channel, '') FROM inserted
    """  # noqa: S608 - column names are constants, values are bound
)


async def add_pending(session: AsyncSession, delivery: Delivery) -> bool:
    """Insert unless this event already has a delivery for this recipient; True if inserted."""
    params = {name: getattr(delivery, name) for name in _DELIVERY_COLUMNS.split(", ")}
    result = await session.execute(_ADD_PENDING, {**params, "wake_channel": PENDING_CHANNEL})
    return result.first() is not None


async def claim_next_due(session: AsyncSession, now: datetime) -> Delivery | None:
    """The next pending delivery whose time has come, row-locked for this transaction.
    SKIP LOCKED lets several senders (replicas) work side by side without sending twice."""
    statement = (
        select(Delivery)
        .where(Delivery.status == DeliveryStatus.PENDING, Delivery.next_attempt_at <= now)
        .order_by(col(Delivery.next_attempt_at))
        .limit(1)
        .with_for_update(skip_locked=True)
    )
    return (await session.exec(statement)).first()


async def search(
    session: AsyncSession,
    *,
    sites: Collection[str] | None,
    case_id: uuid.UUID | None,
    status: DeliveryStatus | None,
    limit: int,
) -> Sequence[Delivery]:
    """Newest first. `sites=None` means every site."""
    statement = select(Delivery)
    if sites is not None:
        statement = statement.where(col(Delivery.site).in_(sites))
    if case_id is not None:
        statement = statement.where(Delivery.case_id == case_id)
    if status is not None:
        statement = statement.where(Delivery.status == status)
    statement = statement.order_by(
        col(Delivery.created_at).desc(), col(Delivery.delivery_id)
    ).limit(limit)
    return (await session.exec(statement)).all()


async def cancel_pending(
    session: AsyncSession, case_id: uuid.UUID, reason: str
) -> Sequence[Delivery]:
    """Mark the case's unsent deliveries failed; returns them. A row the sender is sending
    right now is waited for and then skipped if it was sent meanwhile."""
    statement = (
        update(Delivery)
        .where(col(Delivery.case_id) == case_id, col(Delivery.status) == DeliveryStatus.PENDING)
        .values(status=DeliveryStatus.FAILED, last_error=reason)
        .returning(Delivery)
    )
    return (await session.exec(statement)).scalars().all()


async def anonymise(session: AsyncSession, case_id: uuid.UUID) -> None:
    """Drop everything personal from the case's deliveries; the rows stay for statistics."""
    await session.exec(
        update(Delivery)
        .where(col(Delivery.case_id) == case_id)
        .values(recipient_address=None, subject=None, body=None)
    )
