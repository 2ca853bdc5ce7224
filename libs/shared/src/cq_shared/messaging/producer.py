"""The one way the platform produces to Kafka: idempotent, acks from all in-sync replicas."""

from aiokafka import AIOKafkaProducer

from cq_shared.messaging.connection import client_options
from cq_shared.settings import KafkaSettings


def idempotent_producer(settings: KafkaSettings, *, client_suffix: str = "") -> AIOKafkaProducer:
    """A producer that neither duplicates nor reorders a partition's records on retry."""
    return AIOKafkaProducer(
        **client_options(settings),
        client_id=f"{settings.client_id}{client_suffix}",
        acks="all",
        enable_idempotence=True,
        linger_ms=2,
        request_timeout_ms=settings.request_timeout_ms,
    )
