"""The broker's ACLs on the session broker (docs/decisions/0016): a branch reads public topics
only, a service writes only its own topics, and nobody gets in without logging in."""

import uuid

import pytest
from aiokafka import AIOKafkaConsumer, AIOKafkaProducer
from aiokafka.admin import AIOKafkaAdminClient
from aiokafka.errors import (
    GroupAuthorizationFailedError,
    KafkaConnectionError,
    TopicAuthorizationFailedError,
)
from pydantic import SecretStr

from cq_devstack.stack import Infrastructure
from cq_shared.contracts.intake import CASES_TOPIC
from cq_shared.contracts.public import AVAILABILITY_TOPIC
from cq_shared.contracts.scheduling import BOOKINGS_TOPIC
from cq_shared.events.access import BRANCH, BRANCH_GROUP_PREFIX
from cq_shared.events.topics import dlq_topic
from cq_shared.messaging.connection import client_options
from cq_shared.messaging.producer import idempotent_producer


def _consumer(infra: Infrastructure, principal: str, topic: str, group: str) -> AIOKafkaConsumer:
    return AIOKafkaConsumer(
        topic,
        **client_options(infra.kafka.settings(principal)),
        group_id=group,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )


# An internal topic, and a public topic's DLQ (it carries failure details, not the contract).
@pytest.mark.parametrize("topic", [CASES_TOPIC, dlq_topic(AVAILABILITY_TOPIC)])
async def test_a_branch_is_refused_an_internal_topic(
    infrastructure: Infrastructure, topic: str
) -> None:
    consumer = _consumer(infrastructure, BRANCH, topic, BRANCH_GROUP_PREFIX + "t")
    with pytest.raises(TopicAuthorizationFailedError):
        await consumer.start()
    await consumer.stop()


async def test_a_branch_reads_a_public_topic_in_its_own_groups(
    infrastructure: Infrastructure,
) -> None:
    key = uuid.uuid4().hex.encode()
    producer = idempotent_producer(infrastructure.kafka.settings("scheduling"))
    await producer.start()
    try:
        await producer.send_and_wait(AVAILABILITY_TOPIC, value=b"{}", key=key)
    finally:
        await producer.stop()

    group = f"{BRANCH_GROUP_PREFIX}{uuid.uuid4().hex[:8]}"
    consumer = _consumer(infrastructure, BRANCH, AVAILABILITY_TOPIC, group)
    await consumer.start()
    try:
        seen: list[bytes] = []
        for _ in range(20):
            batch = await consumer.getmany(timeout_ms=500)
            seen += [record.key for records in batch.values() for record in records]
            if key in seen:
                break
        assert key in seen
    finally:
        await consumer.stop()


async def test_a_branch_may_not_use_another_prefix_for_its_groups(
    infrastructure: Infrastructure,
) -> None:
    consumer = _consumer(infrastructure, BRANCH, AVAILABILITY_TOPIC, "scheduling.case-needs")
    with pytest.raises(GroupAuthorizationFailedError):
        await consumer.start()
    await consumer.stop()


async def test_a_service_cannot_write_another_services_topic(
    infrastructure: Infrastructure,
) -> None:
    producer = idempotent_producer(infrastructure.kafka.settings("intake"))
    await producer.start()
    try:
        await producer.send_and_wait(CASES_TOPIC, value=b"{}", key=b"own topic")
        with pytest.raises(TopicAuthorizationFailedError):
            await producer.send_and_wait(BOOKINGS_TOPIC, value=b"{}", key=b"not intake's")
    finally:
        await producer.stop()


async def test_a_client_that_does_not_log_in_gets_no_metadata(
    infrastructure: Infrastructure,
) -> None:
    admin = AIOKafkaAdminClient(
        bootstrap_servers=infrastructure.kafka.bootstrap_servers, request_timeout_ms=3000
    )
    with pytest.raises(KafkaConnectionError):
        await admin.start()
        await admin.list_topics()
    await admin.close()


async def test_a_wrong_password_gets_no_metadata(infrastructure: Infrastructure) -> None:
    settings = infrastructure.kafka.settings("intake")
    wrong = settings.model_copy(update={"password": SecretStr("not-the-password")})
    producer = AIOKafkaProducer(**client_options(wrong), request_timeout_ms=3000)
    with pytest.raises(KafkaConnectionError):
        await producer.start()
    await producer.stop()
