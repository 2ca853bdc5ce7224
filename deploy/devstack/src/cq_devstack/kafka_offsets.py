"""Test and demo helper: let a consumer group start at the current end of its topics.

Every test of a session shares one broker; a service test that starts its app with the real
consumer group would otherwise first consume what earlier tests published. It connects as
the environment's CQ_KAFKA_* say (the operator in the test suite): it moves any service's
groups."""

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition

import cq_shared.contracts  # noqa: F401 - declares the platform's topics
from cq_shared.events.catalogue import catalogue
from cq_shared.messaging.connection import client_options
from cq_shared.messaging.topic_admin import ensure_topics
from cq_shared.settings import KafkaSettings


async def skip_to_end(bootstrap: str, group: str, topics: list[str]) -> None:
    """Commit `group`'s offsets at the end of every partition of `topics` (declared topics
    that do not exist yet are created first, as the services would at start-up)."""
    declared = [catalogue.topic(topic) for topic in topics]
    settings = KafkaSettings(bootstrap_servers=bootstrap)
    await ensure_topics(settings, [each for spec in declared for each in spec.with_dead_letters()])
    producer = AIOKafkaProducer(**client_options(settings))
    await producer.start()
    try:
        partitions = [
            TopicPartition(topic, number)
            for topic in topics
            for number in sorted(await producer.partitions_for(topic))
        ]
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        **client_options(settings), group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_end(*partitions)
        await consumer.commit({tp: await consumer.position(tp) for tp in partitions})
    finally:
        await consumer.stop()
