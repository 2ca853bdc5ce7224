"""The SSRF guard: a webhook goes only to a public HTTPS endpoint.

Checked when a subscription is made and again before every attempt, because what a name
resolves to may change after the check (a receiver's DNS, or an attacker's). Refused: any
scheme but https, credentials in the URL, and a host any of whose addresses is not globally
routable (loopback, private, link-local, CGNAT 100.64/10, multicast, reserved, unspecified,
IPv4-mapped forms of those). `CQ_NOTIFICATIONS_WEBHOOKS_ALLOW_PRIVATE_URLS` (development and
tests only) lets http and such addresses through.

The name checked is the one httpx connects to (`raw_host`, IDNA 2008), not its Unicode
form (which Python's resolver would encode as IDNA 2003: `faß.example` is another name
there). Before an attempt the sender connects to the address checked here, with the original
name as Host header and TLS server name (`pinned_request`), so a name whose answer changes
between the check and the connection (DNS rebinding) cannot reach another address.
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

# IPv6 prefixes that carry an IPv4 address inside (NAT64, 6to4, SIIT): `is_global` judges the
# IPv6 form, which may wrap a private IPv4 address. A webhook receiver has no business there.
_WRAPPED_IPV4 = tuple(
    ipaddress.ip_network(prefix)
    for prefix in ("64:ff9b::/96", "64:ff9b:1::/48", "2002::/16", "::ffff:0:0:0/96")
)


def is_public(address: IpAddress) -> bool:
    """Globally routable and unicast. `is_global` already excludes private, loopback,
    link-local, CGNAT (shared address space), reserved and unspecified ranges; multicast is
    checked on its own (224/4 and ff00::/8 count as global there)."""
    if isinstance(address, ipaddress.IPv6Address):
        if address.ipv4_mapped is not None:
            return is_public(address.ipv4_mapped)
        if any(address in network for network in _WRAPPED_IPV4):
            return False
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


@dataclass(frozen=True)
class CheckedUrl:
    """A URL that passed the guard, and the public address it was checked at (None where
    private URLs are allowed: development and tests connect by name)."""

    url: str
    address: IpAddress | None


def _host(parsed: httpx.URL) -> str:
    """The name as httpx sends it over the wire (IDNA 2008 for international names)."""
    return parsed.raw_host.decode("ascii")


async def checked_address(url: str, *, allow_private: bool) -> CheckedUrl | UnsafeUrl:
    """Resolve the URL's host; refuse it unless every address is public."""
    if allow_private:
        return CheckedUrl(url, None)
    parsed = httpx.URL(url)
    host = _host(parsed)
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    try:
        literal: IpAddress | None = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        literal = None
    if literal is not None:
        addresses: list[IpAddress] = [literal]
    else:
        try:
            infos = await asyncio.wait_for(
                asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM),
                RESOLVE_TIMEOUT_SECONDS,
            )
        except (OSError, TimeoutError, UnicodeError):
            return UnsafeUrl("host_not_resolved", "The URL's host does not resolve.")
        # sockaddr[0] of IPv6 may carry a zone ("fe80::1%eth0"): the address is before it.
        addresses = [ipaddress.ip_address(str(info[4][0]).split("%")[0]) for info in infos]
    if not addresses or not all(is_public(address) for address in addresses):
        return UnsafeUrl(
            "address_not_public", "The URL's host resolves to an address that is not public."
        )
    return CheckedUrl(url, addresses[0])


async def address_problem(url: str, *, allow_private: bool) -> UnsafeUrl | None:
    checked = await checked_address(url, allow_private=allow_private)
    return checked if isinstance(checked, UnsafeUrl) else None


def pinned_request(
    client: httpx.AsyncClient, checked: CheckedUrl, *, content: bytes, headers: dict[str, str]
) -> httpx.Request:
    """A POST to the checked address, carrying the original name as Host header and as the
    TLS server name (certificate checked against the name, not the address)."""
    if checked.address is None:
        return client.build_request("POST", checked.url, content=content, headers=headers)
    parsed = httpx.URL(checked.url)
    host = _host(parsed)
    literal = str(checked.address)
    target = parsed.copy_with(host=literal)
    authority = host if parsed.port is None else f"{host}:{parsed.port}"
    request = client.build_request(
        "POST",
        target,
        content=content,
        headers={**headers, "Host": authority},
        extensions={"sni_hostname": host},
    )
    return request


async def url_problem(url: str, *, allow_private: bool) -> UnsafeUrl | None:
    return shape_problem(url, allow_private=allow_private) or await address_problem(
        url, allow_private=allow_private
    )


async def check_url(url: str, *, allow_private: bool) -> CheckedUrl | UnsafeUrl:
    """The URL's shape and its addresses, as a sender needs them: what to connect to."""
    return shape_problem(url, allow_private=allow_private) or await checked_address(
        url, allow_private=allow_private
    )
