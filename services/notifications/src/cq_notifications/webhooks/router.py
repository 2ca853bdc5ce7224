"""HTTP: webhook subscriptions of site and platform admins, their deliveries, replays."""

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Query, status

from cq_notifications.webhooks import service
from cq_notifications.webhooks.schemas import (
    DeliveryView,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionView,
)
from cq_shared.auth import Principal, Role, require_roles
from cq_shared.db import SessionDep
from cq_shared.service.dependencies import ContextDep, SitesDep

router = APIRouter(prefix="/v1/webhooks", tags=["webhooks"])

Admin = Annotated[Principal, Depends(require_roles(Role.PLATFORM_ADMIN, Role.SITE_ADMIN))]


@router.post("/subscriptions", status_code=status.HTTP_201_CREATED)
async def create_subscription(
    body: SubscriptionCreate, who: Admin, session: SessionDep, context: ContextDep, sites: SitesDep
) -> SubscriptionCreated:
    """Subscribe an https endpoint to public event types. The signing secret is in this
    response only."""
    return await service.create_subscription(
        session, who, body, sites=sites, now=context.clock.now()
    )


@router.get("/subscriptions")
async def list_subscriptions(who: Admin, session: SessionDep) -> list[SubscriptionView]:
    return await service.list_subscriptions(session, who)


@router.get("/subscriptions/{subscription_id}")
async def show_subscription(
    subscription_id: uuid.UUID, who: Admin, session: SessionDep
) -> SubscriptionView:
    return await service.show_subscription(session, who, subscription_id)


@router.post("/subscriptions/{subscription_id}/disable")
async def disable_subscription(
    subscription_id: uuid.UUID, who: Admin, session: SessionDep, context: ContextDep
) -> SubscriptionView:
    """Stop sending; pending deliveries, and those of events arriving meanwhile, are paused."""
    return await service.set_active(
        session, who, subscription_id, active=False, now=context.clock.now()
    )


@router.post("/subscriptions/{subscription_id}/enable")
async def enable_subscription(
    subscription_id: uuid.UUID, who: Admin, session: SessionDep, context: ContextDep
) -> SubscriptionView:
    """Send again: the paused deliveries of the last `CQ_RETENTION_INBOX_DAYS` days first
    (older paused ones can be replayed one by one), then new events."""
    return await service.set_active(
        session, who, subscription_id, active=True, now=context.clock.now()
    )


@router.get("/subscriptions/{subscription_id}/deliveries")
async def list_deliveries(
    subscription_id: uuid.UUID,
    who: Admin,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> list[DeliveryView]:
    """Newest first."""
    return await service.deliveries(session, who, subscription_id, limit=limit)


@router.post("/deliveries/{delivery_id}/replay", status_code=status.HTTP_202_ACCEPTED)
async def replay_delivery(
    delivery_id: uuid.UUID, who: Admin, session: SessionDep, context: ContextDep
) -> DeliveryView:
    """Send again with the same webhook-id, whatever the delivery's status."""
    return await service.replay(session, who, delivery_id, now=context.clock.now())
