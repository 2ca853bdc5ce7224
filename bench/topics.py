"""The benchmarks' own topics, created as a service creates its declared ones (the broker
creates none on its own), with the platform's default partition count so that baselines and
measured paths spread over the same number of partitions."""

import uuid

from cq_shared.events.topics import TopicSpec
from cq_shared.messaging.topic_admin import ensure_topics
from cq_shared.settings import KafkaSettings


async def bench_topic(bootstrap: str, prefix: str, *, name: str | None = None) -> str:
    """Create `name` (or a new `<prefix>.<random>`) and its dead-letter topic."""
    topic = name or f"{prefix}.{uuid.uuid4().hex[:6]}"
    spec = TopicSpec(topic, owner="bench")
    await ensure_topics(KafkaSettings(bootstrap_servers=bootstrap), spec.with_dead_letters())
    return topic
