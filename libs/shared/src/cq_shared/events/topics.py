"""Topic declarations: every topic the platform uses, with its partitions, retention, cleanup
policy and dead-letter topic. The broker never creates a topic on its own (automatic creation
is off); a service creates the topics it uses at start-up from these declarations
(`cq_shared.messaging.topic_admin.ensure_topics`). See docs/decisions/0010.
"""

from dataclasses import dataclass
from datetime import timedelta
from typing import Literal

# Six partitions: a consumer group scales out to as many useful instances as a topic has
# partitions, and six divide evenly among one, two, three or six instances of a service. A
# partition count can only grow, and growing it moves keys to other partitions (a case's
# events could briefly be read out of order), so the count is chosen with headroom up front.
DEFAULT_PARTITIONS = 6
# Internal topics carry contact points of people: kept long enough for a service that was
# down over a long weekend to catch up, not for ever.
DEFAULT_RETENTION = timedelta(days=7)
# A dead letter waits for a person to look at it and re-drive it.
DLQ_RETENTION = timedelta(days=28)
DLQ_SUFFIX = ".dlq"
# Topics other DRK branches may read (journey 7, docs/decisions/0015): only these names, and
# nothing about a person in them. Broker ACLs grant branches the declared topics of this
# prefix (not their DLQs) and nothing else (cq_shared.events.access).
PUBLIC_PREFIX = "public."


@dataclass(frozen=True)
class TopicSpec:
    name: str
    owner: str  # the service that produces to it (and may create it)
    # The services whose consumers read it. The broker's ACLs are derived from this
    # (cq_shared.events.access, docs/decisions/0016): a service not named here is refused.
    readers: tuple[str, ...] = ()
    partitions: int = DEFAULT_PARTITIONS
    retention: timedelta | None = DEFAULT_RETENTION  # None: kept for ever
    # "compact,delete": the latest record per key, and none older than the retention.
    cleanup_policy: Literal["delete", "compact", "compact,delete"] = "delete"
    dlq: bool = True  # consumers of this topic dead-letter to `<name>.dlq`
    # Further topic settings (Kafka's names), e.g. how soon a compacted topic is compacted.
    settings: tuple[tuple[str, str], ...] = ()

    @property
    def public(self) -> bool:
        return self.name.startswith(PUBLIC_PREFIX)

    def configs(self) -> dict[str, str]:
        retention_ms = -1 if self.retention is None else int(self.retention.total_seconds() * 1000)
        return {
            "cleanup.policy": self.cleanup_policy,
            "retention.ms": str(retention_ms),
            **dict(self.settings),
        }

    def dead_letters(self) -> "TopicSpec":
        return TopicSpec(
            name=dlq_topic(self.name),
            owner=self.owner,
            readers=self.readers,
            partitions=self.partitions,
            retention=DLQ_RETENTION,
            dlq=False,
        )

    def with_dead_letters(self) -> list["TopicSpec"]:
        return [self, self.dead_letters()] if self.dlq else [self]


def dlq_topic(topic: str) -> str:
    return topic + DLQ_SUFFIX
