"""One HTTP attempt: sign the stored CloudEvent and POST it (no redirects, one time budget).

Never raises for the receiver's behaviour: every answer, timeout or refused connection is an
`Attempt` the caller records. The `webhook-timestamp` is the wall clock's, not the service
clock's: receivers check it against their own clocks (Standard Webhooks allows five minutes
either way) to refuse replayed requests, so it must be real time even when a test moves the
service clock.
"""

import asyncio
import ssl
from dataclasses import dataclass
from datetime import UTC, datetime

import httpx
from standardwebhooks import Webhook

from cq_notifications.webhooks.cloudevent import CONTENT_TYPE
from cq_notifications.webhooks.urls import UnsafeUrl, check_url, pinned_request

USER_AGENT = "CareQuartier-Webhooks/1"
# Made once: building a TLS context loads the CA bundle (milliseconds per client otherwise).
_TLS = ssl.create_default_context()


@dataclass(frozen=True)
class Attempt:
    status_code: int | None  # None: no HTTP answer
    error: str | None  # a kind, never a message: None when the receiver took it (2xx)

    @property
    def succeeded(self) -> bool:
        return self.error is None


def signed_headers(webhook_id: str, secret: str, body: str) -> dict[str, str]:
    signed_at = datetime.now(UTC)  # wall clock on purpose: see the module docstring
    return {
        "content-type": CONTENT_TYPE,
        "user-agent": USER_AGENT,
        "webhook-id": webhook_id,
        "webhook-timestamp": str(int(signed_at.timestamp())),
        "webhook-signature": Webhook(secret).sign(webhook_id, signed_at, body),
    }


async def post(
    url: str,
    *,
    webhook_id: str,
    secret: str,
    body: str,
    timeout_seconds: float,
    allow_private: bool,
) -> Attempt:
    checked = await check_url(url, allow_private=allow_private)
    if isinstance(checked, UnsafeUrl):
        return Attempt(None, "unsafe_url")
    headers = signed_headers(webhook_id, secret, body)
    try:
        async with asyncio.timeout(timeout_seconds):
            # trust_env=False: no proxy or .netrc from the environment between us and the
            # checked address; redirects are not followed (the target was not checked).
            async with httpx.AsyncClient(
                verify=_TLS, follow_redirects=False, trust_env=False, timeout=timeout_seconds
            ) as client:
                # To the address just checked, not to whatever the name resolves to now.
                request = pinned_request(client, checked, content=body.encode(), headers=headers)
                # Streamed and closed unread: a receiver's answer body is never loaded.
                response = await client.send(request, stream=True)
                await response.aclose()
    except (TimeoutError, httpx.TimeoutException):
        return Attempt(None, "timeout")
    except httpx.TransportError:
        return Attempt(None, "connect_error")
    except httpx.HTTPError:
        return Attempt(None, "http_error")
    if 200 <= response.status_code < 300:
        return Attempt(response.status_code, None)
    return Attempt(response.status_code, "http_status")
