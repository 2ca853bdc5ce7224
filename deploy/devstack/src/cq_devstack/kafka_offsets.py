"""Test and demo helper: let a consumer group start at the current end of its topics.

Every test of a session shares one broker; a service test that starts its app with the real
consumer group would otherwise first consume what earlier tests published."""

from aiokafka import AIOKafkaConsumer, AIOKafkaProducer, TopicPartition


async def skip_to_end(bootstrap: str, group: str, topics: list[str]) -> None:
    """Commit `group`'s offsets at the end of every partition of `topics`."""
    producer = AIOKafkaProducer(bootstrap_servers=bootstrap)
    await producer.start()
    try:
        # Asks the broker for each topic, creating it if need be (as the service would).
        partitions = [
            TopicPartition(topic, number)
            for topic in topics
            for number in sorted(await producer.partitions_for(topic))
        ]
    finally:
        await producer.stop()
    consumer = AIOKafkaConsumer(
        bootstrap_servers=bootstrap, group_id=group, enable_auto_commit=False
    )
    await consumer.start()
    try:
        consumer.assign(partitions)
        await consumer.seek_to_end(*partitions)
        await consumer.commit({tp: await consumer.position(tp) for tp in partitions})
    finally:
        await consumer.stop()
