"""When the mail relay cannot be reached, the sender retries with backoff, then gives up:
the delivery is failed with the error's type and DeliveryFailed is in the outbox."""

import uuid

import pytest

from cq_devstack.ports import free_port
from cq_notifications.main import build_app
from cq_shared.contracts.common import Language, RecipientRole
from cq_testing import Publisher, eventually, scalar

from . import samples


async def test_unreachable_relay_fails_the_delivery_after_its_attempts(
    serve, publisher: Publisher, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CQ_SMTP_PORT", str(free_port()))  # nobody listens there
    monkeypatch.setenv("CQ_NOTIFICATIONS_SEND_MAX_ATTEMPTS", "3")
    monkeypatch.setenv("CQ_NOTIFICATIONS_SEND_RETRY_BASE_SECONDS", "0.05")
    case_id = uuid.uuid4()
    client = samples.recipient(
        RecipientRole.CLIENT, "Ingrid", "Krause", Language.DE, f"ingrid-{samples.tag()}@x.org"
    )
    app = build_app()
    async with serve(app):
        await publisher.send(samples.registered(case_id, client))
        await publisher.send(samples.case_opened(case_id))
        database = app.state.database

        async def failed() -> bool:
            return (
                await scalar(database, "SELECT count(*) FROM deliveries WHERE status = 'failed'")
                == 1
            )

        await eventually(failed, what="the delivery to fail")
        attempts, error, body = (
            await scalar(database, "SELECT attempts FROM deliveries"),
            await scalar(database, "SELECT last_error FROM deliveries"),
            await scalar(database, "SELECT body FROM deliveries"),
        )
        assert attempts == 3
        assert error == "SMTPConnectError"
        assert body is None
        reason = await scalar(
            database,
            "SELECT data->>'reason' FROM outbox WHERE event_type LIKE '%delivery.failed.v1'",
        )
        assert reason == "SMTPConnectError"
