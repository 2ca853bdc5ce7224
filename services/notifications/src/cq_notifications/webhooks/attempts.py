"""The timer handler of `webhook.attempt`: one attempt of one delivery, and what follows.

The HTTP call is made inside the timer's transaction, with the delivery row locked, and its
outcome commits together with the timer's deletion (and the next attempt's timer). A crash
or a failed commit after the receiver answered leaves the timer in place: the attempt is made
again, with the same `webhook-id`. That is at-least-once, the Standard Webhooks contract
(receivers deduplicate by `webhook-id`); what cannot happen is a delivery marked succeeded
that was never received. Outcomes never raise, so one receiver's failure never rolls back
another delivery's recorded success in the runner's batch (decision 0017).
"""

import logging
import uuid
from typing import Any

from sqlalchemy import Row
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.settings import NotificationsSettings
from cq_notifications.webhooks import repository
from cq_notifications.webhooks.models import (
    DisabledReason,
    SubscriptionStatus,
    WebhookDeliveryStatus,
)
from cq_notifications.webhooks.schedule import TIMER_KIND, next_delay, timer_key
from cq_notifications.webhooks.secrets import SecretKeyError, open_secret
from cq_notifications.webhooks.sender import Attempt, post
from cq_shared.clock import Clock
from cq_shared.crypto import SealError
from cq_shared.timers import Timer, TimerHandler, schedule_timer

log = logging.getLogger(__name__)

GONE = 410


def attempt_handler(clock: Clock) -> TimerHandler:
    async def attempt(session: AsyncSession, timer: Timer) -> None:
        await make_attempt(session, timer, clock)

    return attempt


async def make_attempt(session: AsyncSession, timer: Timer, clock: Clock) -> None:
    delivery_id = uuid.UUID(str(timer.payload["delivery_id"]))
    number = int(timer.payload["attempt"])
    row = await repository.lock_for_attempt(session, delivery_id)
    if row is None or row.status != WebhookDeliveryStatus.PENDING or row.attempts + 1 != number:
        return  # settled, cancelled, or a replay's timer came first: this one is stale
    if row.subscription_status != SubscriptionStatus.ACTIVE:
        # Disabled meanwhile: held until the subscription is enabled again.
        await repository.set_delivery(
            session, delivery_id, status=WebhookDeliveryStatus.PAUSED, next_attempt_at=None
        )
        return
    settings = NotificationsSettings()
    try:
        secret = open_secret(row.subscription_id, row.sealed_secret)
    except (SecretKeyError, SealError):
        # The key is missing or not the one it was sealed with: a failed attempt like any
        # other (retried, then the delivery fails and is visible), not an exception that
        # rolls back the timer batch and repeats the POSTs already made in it.
        outcome = Attempt(None, "secret_unavailable")
    else:
        outcome = await post(
            row.url,
            webhook_id=str(delivery_id),
            secret=secret,
            body=row.body,
            timeout_seconds=settings.webhooks_timeout_seconds,
            allow_private=settings.webhooks_allow_private_urls,
        )
    # Ids, the attempt and the outcome's kind: never the URL (it may carry a token) or a body.
    log.info(
        "webhook delivery %s attempt %s: %s %s",
        delivery_id,
        number,
        outcome.status_code,
        outcome.error or "delivered",
    )
    await record(session, row, outcome, timer, clock)


async def record(
    session: AsyncSession, row: Row[Any], outcome: Attempt, timer: Timer, clock: Clock
) -> None:
    now = clock.now()
    delivery_id = row.delivery_id
    tried = {
        "attempts": row.attempts + 1,
        "last_status_code": outcome.status_code,
        "last_error": outcome.error,
    }
    if outcome.succeeded:
        await repository.set_delivery(
            session,
            delivery_id,
            **tried,
            status=WebhookDeliveryStatus.SUCCEEDED,
            delivered_at=now,
            next_attempt_at=None,
        )
        return
    if outcome.status_code == GONE:
        # The receiver says the endpoint is gone for good: stop at once.
        await repository.set_delivery(
            session, delivery_id, **tried, status=WebhookDeliveryStatus.FAILED, next_attempt_at=None
        )
        await repository.disable(session, row.subscription_id, DisabledReason.GONE, now)
        return
    delay = next_delay(row.step)
    if delay is None:
        await repository.set_delivery(
            session, delivery_id, **tried, status=WebhookDeliveryStatus.FAILED, next_attempt_at=None
        )
        await repository.disable(session, row.subscription_id, DisabledReason.FAILING, now)
        log.warning(
            "webhook subscription %s disabled: delivery %s failed its whole schedule",
            row.subscription_id,
            delivery_id,
        )
        return
    at = now + delay
    await repository.set_delivery(
        session, delivery_id, **tried, step=row.step + 1, next_attempt_at=at
    )
    await schedule_timer(
        session,
        key=timer_key(delivery_id, row.attempts + 2),
        kind=TIMER_KIND,
        at=at,
        payload={"delivery_id": str(delivery_id), "attempt": row.attempts + 2},
        site=timer.site,
    )
