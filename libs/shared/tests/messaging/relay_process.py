"""A stand-alone outbox relay process, so a test can SIGKILL it mid-batch.

Usage: python relay_process.py <database-url> <bootstrap-servers> <batch-size>
"""

import asyncio
import sys

from cq_shared.db.database import Database
from cq_shared.messaging.producer import idempotent_producer
from cq_shared.messaging.relay import OutboxRelay
from cq_shared.settings import DatabaseSettings, KafkaSettings, MessagingSettings


async def main(url: str, bootstrap: str, batch_size: int) -> None:
    database = Database(DatabaseSettings(url=url, pool_size=2))
    producer = idempotent_producer(KafkaSettings(bootstrap_servers=bootstrap))
    await producer.start()
    try:
        await OutboxRelay(database, producer, MessagingSettings(relay_batch_size=batch_size)).run()
    finally:
        await producer.stop()


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], sys.argv[2], int(sys.argv[3])))
