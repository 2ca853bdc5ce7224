"""The webhook API's logic: who may subscribe to what, and which subscriptions a caller sees.

Scope: a site admin's subscription is for its site; a subscription for every site (site
NULL) is a platform admin's with access to all sites. A subscription is visible to a caller
who may access its site (every-site ones: callers with all sites); an invisible one is
answered 404, so its existence is not given away.
"""

import uuid
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from cq_notifications.settings import NotificationsSettings
from cq_notifications.webhooks import repository
from cq_notifications.webhooks.models import (
    DisabledReason,
    SubscriptionStatus,
    WebhookDeliveryStatus,
    WebhookSubscription,
)
from cq_notifications.webhooks.schedule import TIMER_KIND, timer_key
from cq_notifications.webhooks.schemas import (
    DeliveryView,
    SubscriptionCreate,
    SubscriptionCreated,
    SubscriptionView,
)
from cq_notifications.webhooks.secrets import SecretKeyError, new_secret, seal_secret
from cq_notifications.webhooks.urls import url_problem
from cq_shared.auth import Principal, Role
from cq_shared.errors import (
    ConflictError,
    FieldError,
    InvalidError,
    NotFoundError,
    UnavailableError,
)
from cq_shared.events.catalogue import catalogue
from cq_shared.retention.settings import RetentionSettings
from cq_shared.sites import SiteCatalogue
from cq_shared.timers import schedule_timer


class SubscriptionNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__("There is no such webhook subscription.")


class WebhookDeliveryNotFoundError(NotFoundError):
    def __init__(self) -> None:
        super().__init__("There is no such webhook delivery.")


class SubscriptionDisabledError(ConflictError):
    def __init__(self) -> None:
        super().__init__("The subscription is disabled; enable it before replaying.")


def _visible(who: Principal, site: str | None) -> bool:
    return who.has_all_sites if site is None else who.can_access_site(site)


def _scope(who: Principal, site: str | None, sites: SiteCatalogue) -> str | None:
    """The site the subscription is for (None: every site), or 422/403."""
    if site is not None:
        if sites.get(site) is None:
            raise InvalidError.at("site", msg="Unknown site.", type="unknown_site")
        who.require_site(site)
        return site
    if who.has_role(Role.PLATFORM_ADMIN) and who.has_all_sites:
        return None
    own = sorted(who.sites)
    if len(own) == 1 and not who.has_all_sites:
        return own[0]
    raise InvalidError.at(
        "site", msg="Name the site this subscription is for.", type="site_required"
    )


async def _check(body: SubscriptionCreate, settings: NotificationsSettings) -> None:
    """Every problem of the request at once (422), before anything is written."""
    public = set(catalogue.public_event_types())
    errors = [
        FieldError.in_body(
            "types", index, msg=f"{event_type} is not a public event type.", type="not_public"
        )
        for index, event_type in enumerate(body.types)
        if event_type not in public
    ]
    problem = await url_problem(body.url, allow_private=settings.webhooks_allow_private_urls)
    if problem is not None:
        errors.append(FieldError.in_body("url", msg=problem.message, type=problem.kind))
    if errors:
        raise InvalidError(errors)


def _view(subscription: WebhookSubscription) -> SubscriptionView:
    return SubscriptionView.model_validate(subscription, from_attributes=True)


async def create_subscription(
    session: AsyncSession,
    who: Principal,
    body: SubscriptionCreate,
    *,
    sites: SiteCatalogue,
    now: datetime,
) -> SubscriptionCreated:
    settings = NotificationsSettings()
    site = _scope(who, body.site, sites)
    await _check(body, settings)
    subscription_id = uuid.uuid4()
    secret = new_secret()
    subscription = WebhookSubscription(
        subscription_id=subscription_id,
        site=site,
        url=body.url,
        types=body.types,
        description=body.description,
        sealed_secret=_sealed(subscription_id, secret),
        status=SubscriptionStatus.ACTIVE,
        created_by=who.subject[:200],
        created_at=now,
    )
    await repository.add_subscription(session, subscription)
    return SubscriptionCreated(**_view(subscription).model_dump(), secret=secret)


async def list_subscriptions(session: AsyncSession, who: Principal) -> list[SubscriptionView]:
    sites = None if who.has_all_sites else who.sites
    return [_view(s) for s in await repository.subscriptions(session, sites)]


async def _visible_subscription(
    session: AsyncSession, who: Principal, subscription_id: uuid.UUID, *, lock: bool = False
) -> WebhookSubscription:
    subscription = await repository.subscription(session, subscription_id, lock=lock)
    if subscription is None or not _visible(who, subscription.site):
        raise SubscriptionNotFoundError()
    return subscription


async def show_subscription(
    session: AsyncSession, who: Principal, subscription_id: uuid.UUID
) -> SubscriptionView:
    return _view(await _visible_subscription(session, who, subscription_id))


async def set_active(
    session: AsyncSession,
    who: Principal,
    subscription_id: uuid.UUID,
    *,
    active: bool,
    now: datetime,
) -> SubscriptionView:
    subscription = await _visible_subscription(session, who, subscription_id, lock=True)
    if active:
        oldest = now - RetentionSettings().inbox
        for row in await repository.enable(session, subscription_id, now=now, oldest=oldest):
            await schedule_timer(
                session,
                key=timer_key(row.delivery_id, row.attempt),
                kind=TIMER_KIND,
                at=now,
                payload={"delivery_id": str(row.delivery_id), "attempt": row.attempt},
                site=row.site,
            )
    else:
        await repository.disable(session, subscription_id, DisabledReason.BY_ADMIN, now)
    await session.refresh(subscription)
    return _view(subscription)


async def deliveries(
    session: AsyncSession, who: Principal, subscription_id: uuid.UUID, *, limit: int
) -> list[DeliveryView]:
    await _visible_subscription(session, who, subscription_id)
    return [
        DeliveryView.model_validate(d, from_attributes=True)
        for d in await repository.deliveries_of(session, subscription_id, limit)
    ]


async def replay(
    session: AsyncSession, who: Principal, delivery_id: uuid.UUID, *, now: datetime
) -> DeliveryView:
    """Send the delivery again, whatever its status, with its webhook-id and a fresh retry
    schedule. Its row is locked first: an attempt in flight finishes, then this one follows."""
    delivery = await repository.delivery(session, delivery_id, lock=True)
    if delivery is None:
        raise WebhookDeliveryNotFoundError()
    subscription = await repository.subscription(session, delivery.subscription_id)
    if subscription is None or not _visible(who, subscription.site):
        raise WebhookDeliveryNotFoundError()
    if subscription.status != SubscriptionStatus.ACTIVE:
        raise SubscriptionDisabledError()
    number = delivery.attempts + 1
    await repository.set_delivery(
        session,
        delivery_id,
        status=WebhookDeliveryStatus.PENDING,
        step=0,
        next_attempt_at=now,
    )
    # The key of the next attempt: a pending delivery's waiting timer is brought forward.
    await schedule_timer(
        session,
        key=timer_key(delivery_id, number),
        kind=TIMER_KIND,
        at=now,
        payload={"delivery_id": str(delivery_id), "attempt": number},
        site=delivery.site,
    )
    await session.refresh(delivery)
    return DeliveryView.model_validate(delivery, from_attributes=True)


class SecretsNotStorableError(UnavailableError):
    def __init__(self) -> None:
        super().__init__(
            "Webhook subscriptions need CQ_NOTIFICATIONS_WEBHOOKS_SECRET_KEY (32 bytes, base64) "
            "so that their signing secrets are stored sealed; ask the platform's operator."
        )


def _sealed(subscription_id: uuid.UUID, secret: str) -> str:
    try:
        return seal_secret(subscription_id, secret)
    except SecretKeyError:
        raise SecretsNotStorableError from None
