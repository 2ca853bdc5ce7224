"""Fixtures of the notifications tests: quick retries, consumer groups starting at the end
of their topics (the publisher fixture comes from cq_testing)."""

import pytest

from cq_devstack.kafka_offsets import skip_to_end
from cq_devstack.stack import Infrastructure
from cq_shared.events.catalogue import catalogue


@pytest.fixture(autouse=True)
def quick_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """Short handler backoff: leftovers of an earlier test that wait for recipients (which a
    fresh database lacks) reach the DLQ quickly instead of holding up the partition."""
    monkeypatch.setenv("CQ_MESSAGING_RETRY_BASE_SECONDS", "0.05")
    monkeypatch.setenv("CQ_MESSAGING_RETRY_MAX_SECONDS", "0.3")
    monkeypatch.setenv("CQ_NOTIFICATIONS_SEND_POLL_SECONDS", "0.1")


@pytest.fixture(autouse=True)
async def consume_from_now(infrastructure: Infrastructure) -> None:
    """The service's groups start at the end of their topics: other tests of the session
    published cases there that this test's fresh database knows nothing about."""
    topics = ["intake.cases", "intake.case-keys", "scheduling.bookings", "volunteering.matches"]
    groups = ("notifications.recipients", "notifications.case-keys", "notifications.case-updates")
    for group in groups:
        await skip_to_end(infrastructure.kafka.bootstrap_servers, group, topics)
    staffing = ["scheduling.staffing"]
    await skip_to_end(infrastructure.kafka.bootstrap_servers, "notifications.staffing", staffing)
    public = sorted({catalogue.definition(t).topic for t in catalogue.public_event_types()})
    await skip_to_end(infrastructure.kafka.bootstrap_servers, "notifications.webhooks", public)
