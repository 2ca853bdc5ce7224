"""Webhooks: public events signed (Standard Webhooks) and POSTed to a receiver on loopback,
retried on the service clock, stopped by 410, replayed with their webhook-id; what may be
subscribed, where to, and by whom."""

import base64
import dataclasses
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
import pytest
from standardwebhooks import Webhook

from cq_notifications.main import build_app
from cq_shared.clock import FixedClock
from cq_shared.contracts.intake import CaseOpened
from cq_shared.contracts.public import PlacesAvailable
from cq_testing import Publisher, count, eventually, scalar
from cq_testing.webhooks import WebhookReceiver, public_envelope

SUBSCRIPTIONS = "/v1/webhooks/subscriptions"


@pytest.fixture(autouse=True)
def webhook_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CQ_NOTIFICATIONS_WEBHOOKS_ALLOW_PRIVATE_URLS", "true")
    monkeypatch.setenv(
        "CQ_NOTIFICATIONS_WEBHOOKS_SECRET_KEY", base64.b64encode(os.urandom(32)).decode()
    )
    monkeypatch.setenv("CQ_TIMERS_POLL_SECONDS", "0.1")


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime.now(UTC))


@pytest.fixture
async def service(serve: Any, clock: FixedClock) -> AsyncIterator[tuple[httpx.AsyncClient, Any]]:
    app = build_app(clock=clock)
    async with serve(app) as client:
        yield client, app.state.database


def places(site: str = "muenster", free: int = 1) -> PlacesAvailable:
    return PlacesAvailable(
        site=site, date=date(2026, 12, 1), resource_type="guest_apartment", capacity=2, free=free
    )


async def publish_public(publisher: Publisher, payload: PlacesAvailable) -> str:
    envelope = public_envelope(
        payload, service="scheduling", subject=f"{payload.site}/guest_apartment/2026-12-01"
    )
    await publisher.send_envelope(envelope, payload.topic)
    return envelope.id


async def subscribe(
    client: httpx.AsyncClient, headers: dict[str, str], url: str, **more: Any
) -> dict[str, Any]:
    body = {"url": url, "types": [PlacesAvailable.event_type], "description": "Kreisverband"}
    response = await client.post(SUBSCRIPTIONS, json=body | more, headers=headers)
    assert response.status_code == 201, response.text
    created: dict[str, Any] = response.json()
    return created


async def deliveries(
    client: httpx.AsyncClient, headers: dict[str, str], subscription_id: str
) -> list[dict[str, Any]]:
    response = await client.get(f"{SUBSCRIPTIONS}/{subscription_id}/deliveries", headers=headers)
    assert response.status_code == 200, response.text
    listed: list[dict[str, Any]] = response.json()
    return listed


def ids_of(receiver: WebhookReceiver, event_id: str) -> list[str]:
    """The webhook-ids of the requests carrying this event."""
    return [r.webhook_id for r in receiver.received if f'"id":"{event_id}"'.encode() in r.body]


async def test_a_public_event_arrives_signed_once_after_three_failures(
    service: Any, publisher: Publisher, bearer: Any, clock: FixedClock
) -> None:
    client, database = service
    admin = bearer("site_admin", "muenster")
    async with WebhookReceiver(answers=[500, 503, 502, 204]) as receiver:
        created = await subscribe(client, admin, receiver.url)
        assert created["status"] == "active"
        assert created["site"] == "muenster"
        secret = created["secret"]
        assert secret.startswith("whsec_")
        event_id = await publish_public(publisher, places())
        await publish_public(publisher, places(site="zwenkau"))  # another site's: not sent

        for number, wait in enumerate(
            [None, timedelta(seconds=5), timedelta(minutes=5), timedelta(minutes=30)], start=1
        ):
            if wait is not None:
                # The next attempt is not due before its time...
                assert len(receiver.received) == number - 1
                clock.set(clock.now() + wait)
            await eventually(
                lambda n=number: _at_least(receiver, n), what=f"attempt {number}", timeout=30
            )

        async def settled() -> list[dict[str, Any]]:
            return await deliveries(client, admin, created["subscription_id"])

        [delivery] = await eventually(
            settled, what="the delivery to succeed", until=lambda d: d[0]["status"] == "succeeded"
        )
        assert delivery["attempts"] == 4
        assert delivery["last_status_code"] == 204
        assert delivery["next_attempt_at"] is None
        assert delivery["delivered_at"] is not None

        # Every attempt is signed, carries the event as a CloudEvent and the same webhook-id.
        assert ids_of(receiver, event_id) == [delivery["delivery_id"]] * 4
        for reception in receiver.received:
            assert reception.headers["content-type"] == "application/cloudevents+json"
            document = Webhook(secret).verify(reception.body, reception.headers)
            assert document["id"] == event_id
            assert document["specversion"] == "1.0"
            assert document["type"] == PlacesAvailable.event_type
            assert document["site"] == "muenster"
            assert document["datacontenttype"] == "application/json"
            assert document["data"]["free"] == 1
        assert len(receiver.succeeded()) == 1

        # The secret is shown once: neither listed, shown, nor stored readable.
        listed = (await client.get(SUBSCRIPTIONS, headers=admin)).text
        shown = await client.get(f"{SUBSCRIPTIONS}/{created['subscription_id']}", headers=admin)
        assert secret not in listed
        assert secret not in shown.text
        assert "secret" not in shown.json()
        stored = await scalar(database, "SELECT sealed_secret FROM webhook_subscriptions")
        assert secret not in stored
        assert secret.removeprefix("whsec_") not in stored


async def test_a_redelivered_event_makes_no_second_delivery(
    service: Any, publisher: Publisher, bearer: Any
) -> None:
    client, database = service
    admin = bearer("site_admin", "muenster")
    async with WebhookReceiver() as receiver:
        await subscribe(client, admin, receiver.url)
        envelope = public_envelope(places(), service="scheduling", subject="muenster/x")
        await publisher.send_envelope(envelope, PlacesAvailable.topic)
        await publisher.send_envelope(envelope, PlacesAvailable.topic)  # redelivered
        marker = await publish_public(publisher, places(free=0))
        await eventually(lambda: _has(receiver, marker), what="the later event", timeout=30)
        assert len(ids_of(receiver, envelope.id)) == 1
        assert await count(database, "SELECT count(*) FROM webhook_deliveries") == 2


async def test_events_from_before_the_subscription_or_the_inbox_period_are_not_sent(
    service: Any, publisher: Publisher, bearer: Any
) -> None:
    """A subscription gets what happens after it was made; and an event older than the inbox
    keeps its rows (a public topic keeps a year: a group reset redelivers it) is never sent."""
    client, database = service
    admin = bearer("site_admin", "muenster")
    async with WebhookReceiver() as receiver:
        await subscribe(client, admin, receiver.url)
        for age in (timedelta(minutes=5), timedelta(days=30)):
            old = public_envelope(places(), service="scheduling", subject="muenster/old")
            old = dataclasses.replace(old, time=old.time - age)
            await publisher.send_envelope(old, PlacesAvailable.topic)
        marker = await publish_public(publisher, places(free=0))
        await eventually(lambda: _has(receiver, marker), what="the new event", timeout=30)
        assert len(receiver.received) == 1
        assert await count(database, "SELECT count(*) FROM webhook_deliveries") == 1


async def test_a_secret_that_no_longer_opens_is_a_failed_attempt_not_a_crash(
    service: Any, publisher: Publisher, bearer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key was changed (or lost) after the subscription was made: the attempt is recorded
    as failed with its kind and retried on schedule; nothing is sent unsigned."""
    client, _ = service
    admin = bearer("site_admin", "muenster")
    async with WebhookReceiver() as receiver:
        created = await subscribe(client, admin, receiver.url)
        monkeypatch.setenv(
            "CQ_NOTIFICATIONS_WEBHOOKS_SECRET_KEY", base64.b64encode(os.urandom(32)).decode()
        )
        await publish_public(publisher, places())

        async def tried() -> list[dict[str, Any]]:
            listed = await deliveries(client, admin, created["subscription_id"])
            return [d for d in listed if d["attempts"] >= 1]

        [delivery] = await eventually(tried, what="the first attempt", timeout=30)
        assert (delivery["status"], delivery["last_error"]) == ("pending", "secret_unavailable")
        assert delivery["next_attempt_at"] is not None
        assert receiver.received == []


async def test_without_a_secret_key_no_subscription_is_made_outside_development(
    service: Any, bearer: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A signing secret is never stored unsealed in production: 503 with the reason."""
    client, database = service
    monkeypatch.delenv("CQ_NOTIFICATIONS_WEBHOOKS_SECRET_KEY")
    monkeypatch.setenv("CQ_NOTIFICATIONS_WEBHOOKS_ALLOW_PRIVATE_URLS", "false")
    body = {"url": "https://93.184.215.14/hook", "types": [PlacesAvailable.event_type]}
    answer = await client.post(
        SUBSCRIPTIONS, json=body | {"description": "x"}, headers=bearer("site_admin", "muenster")
    )
    assert answer.status_code == 503, answer.text
    assert "CQ_NOTIFICATIONS_WEBHOOKS_SECRET_KEY" in answer.json()["detail"]
    assert await count(database, "SELECT count(*) FROM webhook_subscriptions") == 0


async def test_events_of_a_disabled_period_are_sent_when_it_is_enabled(
    service: Any, publisher: Publisher, bearer: Any
) -> None:
    """Nothing is lost for a branch whose subscription was disabled for a while."""
    client, _ = service
    admin = bearer("site_admin", "muenster")
    async with WebhookReceiver() as receiver:
        created = await subscribe(client, admin, receiver.url)
        url = f"{SUBSCRIPTIONS}/{created['subscription_id']}"
        assert (await client.post(f"{url}/disable", headers=admin)).status_code == 200
        meanwhile = await publish_public(publisher, places())

        async def paused() -> list[dict[str, Any]]:
            listed = await deliveries(client, admin, created["subscription_id"])
            return [d for d in listed if d["status"] == "paused"]

        await eventually(paused, what="the event held while disabled", timeout=30)
        assert receiver.received == []
        assert (await client.post(f"{url}/enable", headers=admin)).status_code == 200
        await eventually(lambda: _has(receiver, meanwhile), what="the held event", timeout=30)
        [delivery] = await deliveries(client, admin, created["subscription_id"])
        assert delivery["status"] == "succeeded"


async def test_gone_disables_the_subscription(
    service: Any, publisher: Publisher, bearer: Any
) -> None:
    client, database = service
    admin = bearer("site_admin", "muenster")
    async with WebhookReceiver(answers=[410]) as receiver:
        created = await subscribe(client, admin, receiver.url)
        await publish_public(publisher, places())
        url = f"{SUBSCRIPTIONS}/{created['subscription_id']}"

        async def disabled() -> dict[str, Any]:
            shown: dict[str, Any] = (await client.get(url, headers=admin)).json()
            return shown

        shown = await eventually(disabled, until=lambda s: s["status"] == "disabled", timeout=30)
        assert shown["disabled_reason"] == "endpoint_gone"
        [delivery] = await deliveries(client, admin, created["subscription_id"])
        assert (delivery["status"], delivery["last_status_code"]) == ("failed", 410)
        # A later event makes no delivery for it.
        await publish_public(publisher, places(free=0))
        assert await count(database, "SELECT count(*) FROM webhook_deliveries") == 1
        assert len(receiver.received) == 1


async def test_a_delivery_failing_its_whole_schedule_fails_and_disables(
    service: Any, publisher: Publisher, bearer: Any, clock: FixedClock
) -> None:
    client, _ = service
    admin = bearer("site_admin", "muenster")
    async with WebhookReceiver(answers=[500]) as receiver:
        created = await subscribe(client, admin, receiver.url)
        await publish_public(publisher, places())
        for number in range(1, 11):
            await eventually(lambda n=number: _at_least(receiver, n), what=f"attempt {number}")
            clock.set(clock.now() + timedelta(hours=21))  # past the longest wait

        async def settled() -> list[dict[str, Any]]:
            return await deliveries(client, admin, created["subscription_id"])

        [delivery] = await eventually(settled, until=lambda d: d[0]["status"] == "failed")
        assert delivery["attempts"] == 10
        shown = await client.get(f"{SUBSCRIPTIONS}/{created['subscription_id']}", headers=admin)
        assert shown.json()["disabled_reason"] == "deliveries_failing"
        assert len(receiver.received) == 10


async def test_replay_sends_again_with_the_same_webhook_id(
    service: Any, publisher: Publisher, bearer: Any
) -> None:
    client, _ = service
    admin = bearer("site_admin", "muenster")
    async with WebhookReceiver() as receiver:
        created = await subscribe(client, admin, receiver.url)
        event_id = await publish_public(publisher, places())
        await eventually(lambda: _has(receiver, event_id), what="the first delivery", timeout=30)

        async def first() -> list[dict[str, Any]]:
            return await deliveries(client, admin, created["subscription_id"])

        [delivery] = await eventually(first, until=lambda d: d[0]["status"] == "succeeded")
        replay = await client.post(
            f"/v1/webhooks/deliveries/{delivery['delivery_id']}/replay", headers=admin
        )
        assert replay.status_code == 202, replay.text
        await eventually(lambda: _at_least(receiver, 2), what="the replay", timeout=30)
        assert ids_of(receiver, event_id) == [delivery["delivery_id"]] * 2
        Webhook(created["secret"]).verify(receiver.received[1].body, receiver.received[1].headers)
        [after] = await eventually(
            first, until=lambda d: d[0]["status"] == "succeeded" and d[0]["attempts"] == 2
        )
        assert after["delivery_id"] == delivery["delivery_id"]


@pytest.mark.parametrize(
    ("types", "named"),
    [
        ([CaseOpened.event_type], CaseOpened.event_type),
        ([PlacesAvailable.event_type, "de.drk.carequartier.nothing.v1"], "nothing"),
        ([], None),
    ],
)
async def test_only_public_types_may_be_subscribed(
    service: Any, bearer: Any, types: list[str], named: str | None
) -> None:
    client, database = service
    body = {"url": "https://hooks.example.org/x", "types": types, "description": ""}
    response = await client.post(SUBSCRIPTIONS, json=body, headers=bearer("site_admin", "muenster"))
    assert response.status_code == 422, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    if named is not None:
        assert named in response.text
    assert await count(database, "SELECT count(*) FROM webhook_subscriptions") == 0


@pytest.mark.parametrize(
    "url",
    [
        "https://10.0.0.1/hook",
        "https://127.0.0.1/hook",
        "https://[::1]/hook",
        "https://100.64.0.1/hook",
        "https://169.254.169.254/latest/meta-data",
        "https://localhost/hook",
        "http://example.org/hook",
        "https://user:secret@example.org/hook",
        "ftp://example.org/hook",
    ],
)
async def test_private_and_plain_urls_are_refused(
    service: Any, bearer: Any, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("CQ_NOTIFICATIONS_WEBHOOKS_ALLOW_PRIVATE_URLS", "false")
    client, database = service
    body = {"url": url, "types": [PlacesAvailable.event_type]}
    response = await client.post(SUBSCRIPTIONS, json=body, headers=bearer("site_admin", "muenster"))
    assert response.status_code == 422, response.text
    assert response.json()["errors"][0]["loc"] == ["body", "url"]
    assert await count(database, "SELECT count(*) FROM webhook_subscriptions") == 0


async def test_who_may_subscribe_and_see(service: Any, bearer: Any) -> None:
    client, _ = service
    url = "http://127.0.0.1:9/hook"
    body = {"url": url, "types": [PlacesAvailable.event_type]}
    coordinator = bearer("coordinator", "muenster")
    assert (await client.post(SUBSCRIPTIONS, json=body, headers=coordinator)).status_code == 403
    assert (await client.get(SUBSCRIPTIONS, headers=coordinator)).status_code == 403

    muenster = bearer("site_admin", "muenster")
    zwenkau = bearer("site_admin", "zwenkau")
    created = await subscribe(client, muenster, url)
    one = f"{SUBSCRIPTIONS}/{created['subscription_id']}"
    assert (await client.get(one, headers=zwenkau)).status_code == 404
    assert (await client.post(f"{one}/disable", headers=zwenkau)).status_code == 404
    assert (await client.get(SUBSCRIPTIONS, headers=zwenkau)).json() == []
    # A site admin cannot subscribe for another site, nor for every site.
    other = await client.post(SUBSCRIPTIONS, json=body | {"site": "muenster"}, headers=zwenkau)
    assert other.status_code == 403

    platform = bearer("platform_admin", "*")
    everywhere = await subscribe(client, platform, url)
    assert everywhere["site"] is None
    listed = {
        s["subscription_id"] for s in (await client.get(SUBSCRIPTIONS, headers=platform)).json()
    }
    assert listed == {created["subscription_id"], everywhere["subscription_id"]}
    assert [
        s["subscription_id"] for s in (await client.get(SUBSCRIPTIONS, headers=muenster)).json()
    ] == [created["subscription_id"]]
    disabled = await client.post(f"{one}/disable", headers=muenster)
    assert disabled.json()["status"] == "disabled"
    assert disabled.json()["disabled_reason"] == "disabled_by_admin"
    enabled = await client.post(f"{one}/enable", headers=muenster)
    assert enabled.json()["status"] == "active"
    assert enabled.json()["disabled_reason"] is None
    missing = await client.get(f"{SUBSCRIPTIONS}/{uuid.uuid4()}", headers=platform)
    assert missing.status_code == 404


async def _at_least(receiver: WebhookReceiver, n: int) -> bool:
    return len(receiver.received) >= n


async def _has(receiver: WebhookReceiver, event_id: str) -> bool:
    return bool(ids_of(receiver, event_id))
