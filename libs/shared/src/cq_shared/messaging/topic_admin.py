"""Creating declared topics at start-up, idempotently (automatic creation is off on the broker).

A topic that exists is left as it is, except that it gains partitions when it has fewer than
declared (a partition count can only grow). Its other settings are not changed: an operator
may have tuned them on purpose.
"""

import logging
from collections.abc import Iterable

from aiokafka.admin import AIOKafkaAdminClient, NewPartitions, NewTopic
from aiokafka.errors import TopicAlreadyExistsError, for_code

from cq_shared.events.topics import TopicSpec
from cq_shared.messaging.connection import client_options
from cq_shared.settings import KafkaSettings

log = logging.getLogger(__name__)


async def ensure_topics(
    settings: KafkaSettings, specs: Iterable[TopicSpec], *, owner: str | None = None
) -> None:
    """Create the missing topics of `specs` and grow those with too few partitions. With an
    `owner`, only its own topics grow: a reader may create a topic its owner has not created
    yet, but the broker lets only the owner alter it (docs/decisions/0016)."""
    wanted = {spec.name: spec for spec in specs}
    if not wanted:
        return
    admin = AIOKafkaAdminClient(
        **client_options(settings),
        client_id=f"{settings.client_id}-admin",
        request_timeout_ms=settings.request_timeout_ms,
    )
    await admin.start()
    try:
        existing = {
            topic["topic"]: len(topic["partitions"])
            for topic in await admin.describe_topics(list(wanted))
            if topic["error_code"] == 0
        }
        missing = [spec for name, spec in wanted.items() if name not in existing]
        if missing:
            await _create(admin, missing, settings.replication_factor)
        grow = {
            name: NewPartitions(total_count=spec.partitions)
            for name, spec in wanted.items()
            if name in existing and existing[name] < spec.partitions and owner in (None, spec.owner)
        }
        if grow:
            log.warning("adding partitions to %s (keys move to new partitions)", sorted(grow))
            await admin.create_partitions(grow)
    finally:
        await admin.close()


async def _create(admin: AIOKafkaAdminClient, specs: list[TopicSpec], replication: int) -> None:
    response = await admin.create_topics(
        [
            NewTopic(
                name=spec.name,
                num_partitions=spec.partitions,
                replication_factor=replication,
                topic_configs=spec.configs(),
            )
            for spec in specs
        ]
    )
    for name, code, *_ in response.topic_errors:
        error = for_code(code)
        # Another instance created it in the meantime: that is the idempotent outcome.
        if code and error is not TopicAlreadyExistsError:
            raise error(f"could not create topic {name}")
    log.info("created topics %s", sorted(spec.name for spec in specs))
