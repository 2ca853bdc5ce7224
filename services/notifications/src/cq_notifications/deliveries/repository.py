"""All SQL about deliveries. Never commits: the inbox transaction, the request or the
sender's unit of work does."""

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import text, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.deliveries.models import Channel, Delivery, DeliveryStatus
from cq_shared.contracts.common import Language, RecipientRole
from cq_shared.db.notify import notify
from cq_shared.db.tables import table_of

PENDING_CHANNEL = "carequartier_deliveries_pending"


@dataclass
class DueDelivery:
    """What the sender needs of a claimed delivery (not the ORM entity: the claim runs for
    every mail, and loading the entity cost more than sending over a kept connection)."""

    delivery_id: uuid.UUID
    case_id: uuid.UUID | None
    site: str
    recipient_role: RecipientRole
    recipient_address: str | None
    channel: Channel
    template: str
    language: Language
    subject: str | None
    body: str | None
    attempts: int


_CLAIM_NEXT_DUE = text(
    """
    SELECT delivery_id, case_id, site, recipient_role, recipient_address, channel, template,
           language, subject, body, attempts
    FROM deliveries
    WHERE status = 'pending' AND next_attempt_at <= :now
    ORDER BY next_attempt_at
    LIMIT 1
    FOR UPDATE SKIP LOCKED
    """
)
_MARK_SENT = text(
    "UPDATE deliveries SET status = 'sent', sent_at = :at, attempts = :attempts, "
    "last_error = NULL, subject = NULL, body = NULL WHERE delivery_id = :delivery_id"
)
_RETRY_LATER = text(
    "UPDATE deliveries SET attempts = :attempts, last_error = :error, next_attempt_at = :at "
    "WHERE delivery_id = :delivery_id"
)
_MARK_FAILED = text(
    "UPDATE deliveries SET status = 'failed', attempts = :attempts, last_error = :error, "
    "subject = NULL, body = NULL WHERE delivery_id = :delivery_id"
)


_deliveries = table_of(Delivery)
_ADD_PENDING_MANY = (
    insert(_deliveries)
    .on_conflict_do_nothing(constraint="uq_deliveries_event_recipient")
    .returning(_deliveries.c.delivery_id)
)


async def add_pending_many(session: AsyncSession, deliveries: Sequence[Delivery]) -> int:
    """Insert each delivery unless its event already has one for its recipient: one insert,
    and one wake-up for the sender if any was new (when, and if, the transaction commits).
    How many were new."""
    if not deliveries:
        return 0
    rows = [
        {column.key: getattr(delivery, column.key) for column in _deliveries.columns}
        for delivery in deliveries
    ]
    inserted = len((await session.execute(_ADD_PENDING_MANY, rows)).all())
    if inserted:
        await notify(session, PENDING_CHANNEL)  # the sender wakes when this commits
    return inserted


async def claim_next_due(session: AsyncSession, now: datetime) -> DueDelivery | None:
    """The next pending delivery whose time has come, row-locked for this transaction.
    SKIP LOCKED lets several senders (replicas) work side by side without sending twice."""
    row = (await session.execute(_CLAIM_NEXT_DUE, {"now": now})).first()
    if row is None:
        return None
    due = DueDelivery(*row)
    due.recipient_role = RecipientRole(due.recipient_role)
    due.channel = Channel(due.channel)
    due.language = Language(due.language)
    return due


async def mark_sent(session: AsyncSession, delivery: DueDelivery, at: datetime) -> None:
    """Sent: the rendered text (it holds names) is no longer kept."""
    await session.execute(
        _MARK_SENT,
        {"delivery_id": delivery.delivery_id, "at": at, "attempts": delivery.attempts},
    )


async def retry_later(
    session: AsyncSession, delivery: DueDelivery, error: str, at: datetime
) -> None:
    await session.execute(
        _RETRY_LATER,
        {
            "delivery_id": delivery.delivery_id,
            "attempts": delivery.attempts,
            "error": error,
            "at": at,
        },
    )


async def mark_failed(session: AsyncSession, delivery: DueDelivery, error: str) -> None:
    """Failed for good: the text goes as for a sent one."""
    await session.execute(
        _MARK_FAILED,
        {"delivery_id": delivery.delivery_id, "attempts": delivery.attempts, "error": error},
    )


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


async def cancel_pending_to(
    session: AsyncSession, case_id: uuid.UUID, roles: Sequence[RecipientRole], reason: str
) -> Sequence[Delivery]:
    """`cancel_pending` for the recipients of some roles only (a consent withdrawn)."""
    statement = (
        update(Delivery)
        .where(
            col(Delivery.case_id) == case_id,
            col(Delivery.status) == DeliveryStatus.PENDING,
            col(Delivery.recipient_role).in_(list(roles)),
        )
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


# A recurring need's series (series_news.py): the figures last seen, then the new ones. A
# case's events come in order on one partition to one consumer, so nothing else writes the
# row meanwhile; the row lock holds off a second one anyway (a re-drive) until this commits.
_SERIES_BEFORE = text("SELECT total, booked FROM series_seen WHERE need_id = :need_id FOR UPDATE")
_SERIES_NOW = text(
    """
    INSERT INTO series_seen (need_id, case_id, total, booked, seen_at)
    VALUES (:need_id, :case_id, :total, :booked, :at)
    ON CONFLICT (need_id) DO UPDATE
        SET total = EXCLUDED.total, booked = EXCLUDED.booked, seen_at = EXCLUDED.seen_at
    """
)


async def swap_series(
    session: AsyncSession,
    *,
    need_id: uuid.UUID,
    case_id: uuid.UUID,
    total: int,
    booked: int,
    at: datetime,
) -> tuple[int, int] | None:
    """Keep the series' new figures; the ones seen before (total, booked), None the first time."""
    before = (await session.execute(_SERIES_BEFORE, {"need_id": need_id})).first()
    params = {"need_id": need_id, "case_id": case_id, "total": total, "booked": booked, "at": at}
    await session.execute(_SERIES_NOW, params)
    return None if before is None else (int(before[0]), int(before[1]))


async def series_among(session: AsyncSession, need_ids: Collection[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these needs are recurring ones whose series was seen here."""
    if not need_ids:
        return set()
    found = await session.execute(
        text("SELECT need_id FROM series_seen WHERE need_id = ANY(:ids)"),
        {"ids": list(need_ids)},
    )
    return {row[0] for row in found}


async def forget_series(session: AsyncSession, case_id: uuid.UUID) -> None:
    await session.execute(
        text("DELETE FROM series_seen WHERE case_id = :case_id"), {"case_id": case_id}
    )


async def forget_recipient(session: AsyncSession, recipient_key: str, reason: str) -> int:
    """A person who is no longer ours to write to (a staff member removed): their unsent
    deliveries are cancelled and every row loses the address and text; the rows stay for
    statistics. How many were cancelled."""
    cancelled = await session.exec(
        update(Delivery)
        .where(
            col(Delivery.recipient_key) == recipient_key,
            col(Delivery.status) == DeliveryStatus.PENDING,
        )
        .values(status=DeliveryStatus.FAILED, last_error=reason)
        .returning(col(Delivery.delivery_id))
    )
    count = len(cancelled.all())
    await session.exec(
        update(Delivery)
        .where(col(Delivery.recipient_key) == recipient_key)
        .values(recipient_address=None, subject=None, body=None)
    )
    return count
