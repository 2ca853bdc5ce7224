"""All webhook SQL. Takes a session; never commits."""

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, text, update
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.webhooks.models import (
    DisabledReason,
    SubscriptionStatus,
    WebhookDelivery,
    WebhookDeliveryStatus,
    WebhookSubscription,
)

# One statement per fetched batch of events: match them with the active subscriptions,
# store the events that some subscription wants (once, whoever asks again), and make one
# pending delivery per (subscription, event); a redelivered event hits the unique key and
# makes none. The FK from deliveries to events is checked at the statement's end, after the
# CTE's insert.
_FAN_OUT = text(
    """
    WITH incoming AS (
        SELECT * FROM unnest(
            CAST(:event_ids AS uuid[]), CAST(:sources AS text[]), CAST(:ce_ids AS text[]),
            CAST(:types AS text[]), CAST(:sites AS text[]), CAST(:bodies AS text[]),
            CAST(:times AS timestamptz[])
        ) AS e(event_id, source, ce_id, event_type, site, body, time)
    ),
    matched AS (
        SELECT gen_random_uuid() AS delivery_id, s.subscription_id, s.status, i.*
        FROM incoming i
        JOIN webhook_subscriptions s
          ON i.event_type = ANY(s.types)
         AND (s.site IS NULL OR s.site = i.site)
         -- A subscription gets the events that happen after it was made, and no event is
         -- older than the inbox keeps its rows: a public topic, kept for a year, redelivered
         -- (a group reset) sends nothing again (decisions 0014, 0015).
         AND i.time >= s.created_at AND i.time >= CAST(:oldest AS timestamptz)
    ),
    stored AS (
        INSERT INTO webhook_events (event_id, source, ce_id, event_type, site, body, received_at)
        SELECT DISTINCT event_id, source, ce_id, event_type, site, body, CAST(:now AS timestamptz)
        FROM matched
        ON CONFLICT DO NOTHING
    )
    INSERT INTO webhook_deliveries (
        delivery_id, subscription_id, event_id, event_type, site, status, attempts, step,
        created_at, next_attempt_at
    )
    SELECT delivery_id, subscription_id, event_id, event_type, site,
           CASE WHEN status = 'active' THEN 'pending' ELSE 'paused' END, 0, 0,
           CAST(:now AS timestamptz),
           CASE WHEN status = 'active' THEN CAST(:now AS timestamptz) END
    FROM matched
    ON CONFLICT (subscription_id, event_id) DO NOTHING
    RETURNING delivery_id, site, status
    """
)

# The row an attempt works on, locked: a replay or another replica's attempt waits for this
# one to commit, then sees its outcome.
_LOCK_FOR_ATTEMPT = text(
    """
    SELECT d.delivery_id, d.subscription_id, d.status, d.attempts, d.step,
           s.url, s.sealed_secret, s.status AS subscription_status, e.body
    FROM webhook_deliveries d
    JOIN webhook_subscriptions s USING (subscription_id)
    JOIN webhook_events e USING (event_id)
    WHERE d.delivery_id = :delivery_id
    FOR UPDATE OF d
    """
)


async def fan_out(
    session: AsyncSession, events: Sequence[dict[str, Any]], now: datetime, oldest: datetime
) -> list[Row[Any]]:
    """Deliveries made for these events (delivery_id, site); none for events already seen."""
    result = await session.execute(
        _FAN_OUT,
        {
            "event_ids": [e["event_id"] for e in events],
            "sources": [e["source"] for e in events],
            "ce_ids": [e["ce_id"] for e in events],
            "types": [e["event_type"] for e in events],
            "sites": [e["site"] for e in events],
            "bodies": [e["body"] for e in events],
            "times": [e["time"] for e in events],
            "now": now,
            "oldest": oldest,
        },
    )
    return list(result.all())


async def add_subscription(session: AsyncSession, subscription: WebhookSubscription) -> None:
    session.add(subscription)
    await session.flush()


async def subscriptions(session: AsyncSession, sites: frozenset[str] | None) -> list[Any]:
    """Newest first; `sites` None: every subscription, else those of these sites."""
    query = select(WebhookSubscription).order_by(WebhookSubscription.created_at.desc())  # type: ignore[attr-defined]
    if sites is not None:
        query = query.where(WebhookSubscription.site.in_(sorted(sites)))  # type: ignore[union-attr]
    return list((await session.execute(query)).scalars().all())


async def subscription(
    session: AsyncSession, subscription_id: uuid.UUID, *, lock: bool = False
) -> WebhookSubscription | None:
    query = select(WebhookSubscription).where(
        WebhookSubscription.subscription_id == subscription_id  # type: ignore[arg-type]
    )
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalars().first()


async def deliveries_of(
    session: AsyncSession, subscription_id: uuid.UUID, limit: int
) -> list[WebhookDelivery]:
    query = (
        select(WebhookDelivery)
        .where(WebhookDelivery.subscription_id == subscription_id)  # type: ignore[arg-type]
        .order_by(WebhookDelivery.created_at.desc())  # type: ignore[attr-defined]
        .limit(limit)
    )
    return list((await session.execute(query)).scalars().all())


async def delivery(
    session: AsyncSession, delivery_id: uuid.UUID, *, lock: bool = False
) -> WebhookDelivery | None:
    query = select(WebhookDelivery).where(
        WebhookDelivery.delivery_id == delivery_id  # type: ignore[arg-type]
    )
    if lock:
        query = query.with_for_update()
    return (await session.execute(query)).scalars().first()


async def lock_for_attempt(session: AsyncSession, delivery_id: uuid.UUID) -> Row[Any] | None:
    return (await session.execute(_LOCK_FOR_ATTEMPT, {"delivery_id": delivery_id})).first()


async def set_delivery(session: AsyncSession, delivery_id: uuid.UUID, **values: Any) -> None:
    await session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.delivery_id == delivery_id)  # type: ignore[arg-type]
        .values(**values)
    )


async def disable(
    session: AsyncSession, subscription_id: uuid.UUID, reason: DisabledReason, now: datetime
) -> None:
    """Disable the subscription and pause its pending deliveries (their timers find them
    paused and do nothing; enabling sends them)."""
    await session.execute(
        update(WebhookSubscription)
        .where(WebhookSubscription.subscription_id == subscription_id)  # type: ignore[arg-type]
        .where(WebhookSubscription.status == SubscriptionStatus.ACTIVE)  # type: ignore[arg-type]
        .values(status=SubscriptionStatus.DISABLED, disabled_reason=reason, disabled_at=now)
    )
    await session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.subscription_id == subscription_id)  # type: ignore[arg-type]
        .where(WebhookDelivery.status == WebhookDeliveryStatus.PENDING)  # type: ignore[arg-type]
        .values(status=WebhookDeliveryStatus.PAUSED, next_attempt_at=None)
    )


# Enabling sends what was paused, from the first attempt's schedule on: the deliveries of
# events younger than the inbox period (older ones stay paused and can be replayed one by
# one). Returned with the attempt number each one's next timer carries.
_RESUME = text(
    """
    UPDATE webhook_deliveries
    SET status = 'pending', step = 0, next_attempt_at = CAST(:now AS timestamptz)
    WHERE subscription_id = :subscription AND status = 'paused'
      AND created_at >= CAST(:oldest AS timestamptz)
    RETURNING delivery_id, site, attempts + 1 AS attempt
    """
)


async def enable(
    session: AsyncSession, subscription_id: uuid.UUID, *, now: datetime, oldest: datetime
) -> list[Row[Any]]:
    """Make the subscription active again; the paused deliveries to send now."""
    await session.execute(
        update(WebhookSubscription)
        .where(WebhookSubscription.subscription_id == subscription_id)  # type: ignore[arg-type]
        .values(status=SubscriptionStatus.ACTIVE, disabled_reason=None, disabled_at=None)
    )
    resumed = await session.execute(
        _RESUME, {"subscription": subscription_id, "now": now, "oldest": oldest}
    )
    return list(resumed.all())
