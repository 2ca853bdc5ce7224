"""Publishing events as another service's relay would: CloudEvents in Kafka binary mode, JSON
value, keyed by the case."""

import uuid
from datetime import UTC, datetime
from types import TracebackType
from typing import Any

from aiokafka import AIOKafkaProducer

from cq_shared.events.envelope import Envelope
from cq_shared.events.payload import EventPayload
from cq_shared.messaging.connection import client_options
from cq_shared.settings import KafkaSettings


def envelope_of(
    payload: EventPayload, *, event_id: str | None = None, service: str | None = None
) -> Envelope:
    """The payload as its producing service publishes it: source /sites/<site>/<service> (the
    service is the topic's first word unless given), subject = the case id, or for a staffing
    event (about no case) the gap's or else the staff member's id, as scheduling keys them."""
    data = payload.model_dump(mode="json")
    subject = data.get("case_id") or data.get("gap_id") or data["staff_id"]
    return Envelope(
        id=event_id or str(uuid.uuid4()),
        source=f"/sites/{data['site']}/{service or payload.topic.split('.')[0]}",
        type=payload.event_type,
        subject=str(subject),
        time=datetime.now(UTC),
        site=data["site"],
        data=data,
    )


class Publisher:
    """A producer for the tests (`async with Publisher(bootstrap) as publisher`, or the
    plugin's `publisher` fixture), logged in as the environment's CQ_KAFKA_* say (the
    operator in the test suite: it publishes as any service would)."""

    def __init__(self, bootstrap_servers: str) -> None:
        settings = KafkaSettings(bootstrap_servers=bootstrap_servers)
        self.producer = AIOKafkaProducer(**client_options(settings), acks="all")

    async def __aenter__(self) -> "Publisher":
        await self.producer.start()
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.producer.stop()

    async def send(
        self, payload: EventPayload, *, event_id: str | None = None, service: str | None = None
    ) -> Envelope:
        """Publish the payload on its topic; the envelope sent (to resend it)."""
        envelope = envelope_of(payload, event_id=event_id, service=service)
        await self.send_envelope(envelope, payload.topic)
        return envelope

    async def send_envelope(self, envelope: Envelope, topic: str) -> None:
        """An envelope as it is (sent twice: a redelivery, same id and source)."""
        await self.producer.send_and_wait(
            topic,
            value=envelope.kafka_value(),
            key=envelope.subject.encode(),
            headers=envelope.kafka_headers(),
        )

    async def send_raw(
        self, topic: str, value: bytes, headers: list[tuple[str, bytes]], key: bytes = b"k"
    ) -> None:
        """Bytes as they are: for records that are not valid events."""
        await self.producer.send_and_wait(topic, value=value, key=key, headers=headers)


async def publish(
    bootstrap_servers: str, *events: EventPayload | Envelope, topic: str | None = None
) -> list[Envelope]:
    """Publish payloads (each on its topic) and envelopes (on `topic`) in order, with a
    producer of their own; the envelopes sent."""
    sent: list[Envelope] = []
    async with Publisher(bootstrap_servers) as publisher:
        for event in events:
            if isinstance(event, Envelope):
                if topic is None:
                    raise ValueError("an envelope needs the topic to publish it on")
                await publisher.send_envelope(event, topic)
                sent.append(event)
            else:
                sent.append(await publisher.send(event))
    return sent


async def produce_raw(
    bootstrap_servers: str,
    topic: str,
    value: bytes,
    headers: list[tuple[str, bytes]],
    key: bytes = b"k",
) -> None:
    """One record as it is, with a producer of its own (for records that are not valid events,
    or an envelope's bytes sent by hand)."""
    async with Publisher(bootstrap_servers) as publisher:
        await publisher.send_raw(topic, value, headers, key)


def header(record: Any, name: str) -> str | None:
    """A Kafka record's header as text."""
    for key, value in record.headers or ():
        if key == name:
            return str(value.decode())
    return None
