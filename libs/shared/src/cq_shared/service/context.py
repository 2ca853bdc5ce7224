"""The running service's shared parts, handed to consumers, startup hooks and routes."""

from dataclasses import dataclass

from aiokafka import AIOKafkaProducer

from cq_shared.clock import Clock
from cq_shared.db.database import Database
from cq_shared.messaging.groups import consumer_group
from cq_shared.messaging.inbox import InboxConsumer
from cq_shared.messaging.outbox import EventWriter
from cq_shared.messaging.retry import RetryPolicy
from cq_shared.settings import KafkaSettings, MessagingSettings
from cq_shared.sites import SiteCatalogue


@dataclass
class ServiceContext:
    name: str
    database: Database
    producer: AIOKafkaProducer
    writer: EventWriter
    clock: Clock
    kafka: KafkaSettings
    messaging: MessagingSettings
    sites: SiteCatalogue

    def consumer_group(self, purpose: str) -> str:
        """An explicit, stable consumer group name: `<service>.<purpose>`, with the
        deployment's group prefix (CQ_MESSAGING_GROUP_PREFIX, empty by default) before the
        purpose: `<service>.<prefix><purpose>`, so the service's prefixed ACL covers it."""
        return consumer_group(self.name, purpose, self.messaging.group_prefix)

    def inbox_consumer(self, purpose: str, *, one_at_a_time: bool = False) -> InboxConsumer:
        """The one way a service builds a consumer: its group `<service>.<purpose>`, its
        database, its DLQ producer and retry policy, and the unserved-site rule (events of a
        site this service does not run for are skipped and counted, see InboxConsumer)."""
        return InboxConsumer(
            name=self.consumer_group(purpose),
            database=self.database,
            dlq_producer=self.producer,
            retry=self.retry_policy,
            serves=lambda site: self.sites.serves(site, self.name),
            one_at_a_time=one_at_a_time,
        )

    @property
    def retry_policy(self) -> RetryPolicy:
        return RetryPolicy(
            max_attempts=self.messaging.max_attempts,
            base_seconds=self.messaging.retry_base_seconds,
            max_seconds=self.messaging.retry_max_seconds,
        )
