"""Dead letters: `<topic>.dlq`, with the original record and headers saying why and where from."""

from dataclasses import dataclass

from aiokafka import AIOKafkaProducer

from cq_shared.events.topics import dlq_topic
from cq_shared.telemetry.metrics import messaging_metrics

REASON = "dlq_reason"
ERROR = "dlq_error"
SOURCE_TOPIC = "dlq_source_topic"
SOURCE_PARTITION = "dlq_source_partition"
SOURCE_OFFSET = "dlq_source_offset"
CONSUMER = "dlq_consumer"
ATTEMPTS = "dlq_attempts"
DLQ_HEADERS = frozenset(
    {REASON, ERROR, SOURCE_TOPIC, SOURCE_PARTITION, SOURCE_OFFSET, CONSUMER, ATTEMPTS}
)


@dataclass(frozen=True)
class DeadLetter:
    """Why a record could not be processed. `reason` is a short machine-readable word
    (not_json, invalid_envelope, unknown_type, schema_invalid, handler_failed, permanent);
    `error` a one-line description without the payload."""

    reason: str
    error: str
    attempts: int = 1


async def send_to_dlq(
    producer: AIOKafkaProducer,
    *,
    consumer: str,
    topic: str,
    partition: int,
    offset: int,
    key: bytes | None,
    value: bytes | None,
    headers: list[tuple[str, bytes]],
    letter: DeadLetter,
) -> None:
    """Publish the record unchanged plus the reason; waits for the broker's ack, so the caller
    may commit the source offset afterwards."""
    extra = {
        REASON: letter.reason,
        ERROR: letter.error[:500],
        SOURCE_TOPIC: topic,
        SOURCE_PARTITION: str(partition),
        SOURCE_OFFSET: str(offset),
        CONSUMER: consumer,
        ATTEMPTS: str(letter.attempts),
    }
    kept = [(name, val) for name, val in headers if name not in DLQ_HEADERS]
    await producer.send_and_wait(
        dlq_topic(topic),
        value=value,
        key=key,
        headers=kept + [(name, val.encode("utf-8")) for name, val in extra.items()],
    )
    messaging_metrics().dead_lettered(topic, letter.reason)
