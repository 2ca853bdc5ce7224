"""A stand-alone inbox consumer process: records each event once in `test_effects`.

Usage: python consumer_process.py <database-url> <bootstrap> <topic> <group> [--die-after-commit]

With --die-after-commit it SIGKILLs itself right after its first database commit, before
the Kafka offset is committed: the worst moment for a consumer to die.
"""

import asyncio
import os
import signal
import sys
from typing import Any

from faststream.kafka import KafkaBroker

from cq_shared.db.database import Database
from cq_shared.messaging.connection import faststream_security
from cq_shared.messaging.producer import idempotent_producer
from cq_shared.messaging.received import ReceivedEvent
from cq_shared.messaging.subscription import attach
from cq_shared.settings import DatabaseSettings, KafkaSettings

sys.path.insert(0, os.path.dirname(__file__))
from support import inbox_consumer, recording_effects, widget_event


async def main(url: str, bootstrap: str, topic: str, group: str, die: bool) -> None:
    database = Database(DatabaseSettings(url=url, pool_size=2))
    producer = idempotent_producer(KafkaSettings(bootstrap_servers=bootstrap))
    widget = widget_event(topic)

    async def die_now(_: ReceivedEvent[Any]) -> None:
        os.kill(os.getpid(), signal.SIGKILL)

    consumer = inbox_consumer(
        group, database, producer, widget, on_committed=die_now if die else None
    )
    recording_effects(consumer, widget)
    broker = KafkaBroker(
        bootstrap, security=faststream_security(KafkaSettings(bootstrap_servers=bootstrap))
    )
    attach(consumer, broker)
    await producer.start()
    await broker.start()
    try:
        await asyncio.Event().wait()
    finally:
        await broker.stop()
        await producer.stop()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:5], die="--die-after-commit" in sys.argv))
