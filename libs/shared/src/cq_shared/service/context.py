"""The running service's shared parts, handed to consumers, startup hooks and routes."""

from dataclasses import dataclass

from aiokafka import AIOKafkaProducer

from cq_shared.clock import Clock
from cq_shared.db.database import Database
from cq_shared.messaging.outbox import EventWriter
from cq_shared.messaging.retry import RetryPolicy
from cq_shared.settings import KafkaSettings, MessagingSettings


@dataclass
class ServiceContext:
    name: str
    database: Database
    producer: AIOKafkaProducer
    writer: EventWriter
    clock: Clock
    kafka: KafkaSettings
    messaging: MessagingSettings

    def consumer_group(self, purpose: str) -> str:
        """An explicit, stable consumer group name: `<service>.<purpose>`, after the
        deployment's group prefix (CQ_MESSAGING_GROUP_PREFIX, empty by default)."""
        return f"{self.messaging.group_prefix}{self.name}.{purpose}"

    @property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_attempts=self.messaging.max_attempts,
            base_seconds=self.messaging.retry_base_seconds,
            max_seconds=self.messaging.retry_max_seconds,
        )
