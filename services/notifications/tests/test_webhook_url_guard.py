"""The SSRF guard's pieces without a network: which addresses count as public, and that an
attempt connects to the address that was checked, under the name the receiver expects."""

import ipaddress

import httpx
import pytest

from cq_notifications.webhooks.urls import CheckedUrl, check_url, is_public, pinned_request


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "127.0.0.1",
        "169.254.169.254",
        "100.64.0.1",
        "0.0.0.0",
        "224.0.0.1",
        "::1",
        "fe80::1",
        "::ffff:10.0.0.1",  # IPv4-mapped
        "64:ff9b::a00:1",  # NAT64 around 10.0.0.1
        "2002:a00:1::",  # 6to4 around 10.0.0.1
        "::ffff:0:a00:1",  # SIIT around 10.0.0.1
    ],
)
def test_private_and_wrapped_private_addresses_are_not_public(address: str) -> None:
    assert not is_public(ipaddress.ip_address(address))


@pytest.mark.parametrize("address", ["93.184.215.14", "2a00:1450:4001:80b::200e"])
def test_global_unicast_addresses_are_public(address: str) -> None:
    assert is_public(ipaddress.ip_address(address))


async def test_an_attempt_goes_to_the_checked_address_under_the_receivers_name() -> None:
    """Pinned: a name that resolves elsewhere by the time of the connection (DNS rebinding)
    is never looked up again; TLS still checks the certificate against the name."""
    checked = CheckedUrl(
        "https://faß.example:8443/hook?token=t", ipaddress.ip_address("93.184.215.14")
    )
    async with httpx.AsyncClient() as client:
        request = pinned_request(client, checked, content=b"{}", headers={"webhook-id": "msg_1"})
    assert request.url.host == "93.184.215.14"
    assert request.url.port == 8443
    assert request.url.query == b"token=t"
    # The name as httpx would send it (IDNA 2008), not Python's IDNA 2003 form "fass.example".
    assert request.headers["host"] == "xn--fa-hia.example:8443"
    assert request.extensions["sni_hostname"] == "xn--fa-hia.example"
    assert request.headers["webhook-id"] == "msg_1"


async def test_literal_private_hosts_are_refused_before_any_lookup() -> None:
    for url in ("https://[::1]/x", "https://10.0.0.1/x", "https://[64:ff9b::a00:1]/x"):
        refused = await check_url(url, allow_private=False)
        assert not isinstance(refused, CheckedUrl), url
