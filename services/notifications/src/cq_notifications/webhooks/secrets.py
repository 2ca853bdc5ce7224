"""Signing secrets: made once, shown once, kept sealed.

A secret is Standard Webhooks' `whsec_<base64 of 24 random bytes>` (the reference SDKs take
it as is). At rest it is sealed with the service's key (`CQ_NOTIFICATIONS_WEBHOOKS_SECRET_KEY`,
AES-256-GCM via cq_shared.crypto, the subscription id as associated data so a sealed secret
cannot be moved to another subscription). Without a key it is stored as `plain.<secret>`:
acceptable on a developer's machine, and a warning says so at every subscription made. The
key is read from the settings at each use: microseconds, next to an HTTP call.
"""

import base64
import logging
import secrets
import uuid

from cq_notifications.settings import NotificationsSettings
from cq_shared.crypto import open_sealed, seal

log = logging.getLogger(__name__)

PREFIX = "whsec_"
SECRET_BYTES = 24
_PLAIN = "plain."


class SecretKeyError(ValueError):
    """The configured key is not base64 of 32 bytes."""


def new_secret() -> str:
    return PREFIX + base64.b64encode(secrets.token_bytes(SECRET_BYTES)).decode("ascii")


def _key() -> bytes | None:
    configured = NotificationsSettings().webhooks_secret_key
    if configured is None:
        return None
    try:
        key = base64.b64decode(configured.get_secret_value(), validate=True)
    except ValueError as error:
        raise SecretKeyError("the webhook secret key is not base64") from error
    if len(key) != 32:
        raise SecretKeyError("the webhook secret key must be 32 bytes")
    return key


def seal_secret(subscription_id: uuid.UUID, secret: str) -> str:
    """The secret sealed with the service's key. Without a key it is refused, except where
    development settings allow private receivers (`make run`, tests): there it is stored
    unsealed, with a warning."""
    key = _key()
    if key is None:
        if not NotificationsSettings().webhooks_allow_private_urls:
            raise SecretKeyError("CQ_NOTIFICATIONS_WEBHOOKS_SECRET_KEY is not set")
        log.warning(
            "CQ_NOTIFICATIONS_WEBHOOKS_SECRET_KEY is not set: a webhook signing secret is "
            "stored unsealed (development settings)"
        )
        return _PLAIN + secret
    return seal(key, subscription_id, secret.encode("ascii"))


def open_secret(subscription_id: uuid.UUID, stored: str) -> str:
    if stored.startswith(_PLAIN):
        return stored.removeprefix(_PLAIN)
    key = _key()
    if key is None:
        raise SecretKeyError("a sealed webhook secret needs CQ_NOTIFICATIONS_WEBHOOKS_SECRET_KEY")
    return open_sealed(key, subscription_id, stored).decode("ascii")
