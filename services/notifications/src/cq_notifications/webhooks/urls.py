"""The SSRF guard: a webhook goes only to a public HTTPS endpoint.

Checked when a subscription is made and again before every attempt, because what a name
resolves to may change after the check (a receiver's DNS, or an attacker's). Refused: any
scheme but https, credentials in the URL, and a host any of whose addresses is not globally
routable (loopback, private, link-local, CGNAT 100.64/10, multicast, reserved, unspecified,
IPv4-mapped forms of those). `CQ_NOTIFICATIONS_WEBHOOKS_ALLOW_PRIVATE_URLS` (development and
tests only) lets http and such addresses through.

What this cannot close: httpx resolves the name again when it connects, so a name whose
answer changes between the two lookups (DNS rebinding with a zero TTL) can still reach an
internal address for that one attempt. Pinning the checked address would need a transport of
our own that keeps TLS' server name; decision 0017 records it as open.
"""

import asyncio
import ipaddress
import socket
from dataclasses import dataclass

import httpx

ALLOWED_SCHEMES = frozenset({"https"})
DEVELOPMENT_SCHEMES = frozenset({"https", "http"})
# The receiver's name must answer within this; a hanging resolver is one failed attempt.
RESOLVE_TIMEOUT_SECONDS = 5.0


@dataclass(frozen=True)
class UnsafeUrl:
    """Why a URL is refused: a machine-readable kind and an English sentence (never the
    URL itself, which may carry a receiver's token)."""

    kind: str
    message: str


IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def is_public(address: IpAddress) -> bool:
    """Globally routable and unicast. `is_global` already excludes private, loopback,
    link-local, CGNAT (shared address space), reserved and unspecified ranges; multicast is
    checked on its own (224/4 and ff00::/8 count as global there)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return is_public(address.ipv4_mapped)
    return address.is_global and not address.is_multicast


def shape_problem(url: str, *, allow_private: bool) -> UnsafeUrl | None:
    """What is wrong with the URL itself, before any lookup."""
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        return UnsafeUrl("invalid_url", "The URL is not valid.")
    schemes = DEVELOPMENT_SCHEMES if allow_private else ALLOWED_SCHEMES
    if parsed.scheme not in schemes:
        return UnsafeUrl("scheme_not_allowed", "Webhook URLs must use https.")
    if not parsed.host:
        return UnsafeUrl("invalid_url", "The URL has no host.")
    if parsed.userinfo:
        return UnsafeUrl("credentials_in_url", "Webhook URLs must not contain credentials.")
    return None


async def address_problem(url: str, *, allow_private: bool) -> UnsafeUrl | None:
    """Resolve the URL's host; refuse it unless every address is public."""
    if allow_private:
        return None
    parsed = httpx.URL(url)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        literal: IpAddress | None = ipaddress.ip_address(parsed.host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses: list[IpAddress] = [literal]
    else:
        try:
            infos = await asyncio.wait_for(
                asyncio.get_running_loop().getaddrinfo(parsed.host, port, type=socket.SOCK_STREAM),
                RESOLVE_TIMEOUT_SECONDS,
            )
        except (OSError, TimeoutError):
            return UnsafeUrl("host_not_resolved", "The URL's host does not resolve.")
        # sockaddr[0] of IPv6 may carry a zone ("fe80::1%eth0"): the address is before it.
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses or not all(is_public(address) for address in addresses):
        return UnsafeUrl(
            "address_not_public", "The URL's host resolves to an address that is not public."
        )
    return None


async def url_problem(url: str, *, allow_private: bool) -> UnsafeUrl | None:
    return shape_problem(url, allow_private=allow_private) or await address_problem(
        url, allow_private=allow_private
    )
