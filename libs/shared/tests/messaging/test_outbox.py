"""The outbox: committed events are published, rolled-back ones never, a key's order holds."""

import asyncio
import json

import pytest
from cloudevents.core.bindings.kafka import KafkaMessage, from_binary_event

from cq_devstack.stack import Infrastructure
from cq_shared.db.database import Database
from cq_shared.messaging.outbox import EventWriter, Staged
from cq_shared.settings import MessagingSettings
from cq_testing import count, header, read_all

from .support import Widget, relay_all


class Rollback(Exception):
    pass


async def test_committed_event_is_published_and_rolled_back_one_never(
    infrastructure: Infrastructure, database: Database, widget: Widget, unique_topic: str
) -> None:
    writer = EventWriter("intake")
    async with database.unit_of_work() as session:
        kept = await writer.add(
            session, widget(widget_id="w1", sequence=1, colour="red"), subject="w1", site="muenster"
        )
    with pytest.raises(Rollback):
        async with database.unit_of_work() as session:
            await writer.add(
                session,
                widget(widget_id="w2", sequence=1, colour="blue"),
                subject="w2",
                site="muenster",
            )
            raise Rollback
    published = await relay_all(database)

    assert published == 1
    records = await read_all(infrastructure.kafka.bootstrap_servers, unique_topic, expected=1)
    assert [header(r, "ce_id") for r in records] == [str(kept)]
    assert await count(database, "SELECT count(*) FROM outbox WHERE published_at IS NULL") == 0


async def test_events_of_one_key_arrive_in_the_order_they_were_written(
    infrastructure: Infrastructure, database: Database, widget: Widget, unique_topic: str
) -> None:
    writer = EventWriter("scheduling")
    keys = ["case-a", "case-b", "case-c"]
    for sequence in range(40):
        async with database.unit_of_work() as session:
            key = keys[sequence % 3]
            await writer.add(
                session,
                widget(widget_id=key, sequence=sequence, colour="green"),
                subject=key,
                site="zwenkau",
            )
    await relay_all(database, MessagingSettings(relay_batch_size=7))

    records = await read_all(infrastructure.kafka.bootstrap_servers, unique_topic, expected=40)
    assert len(records) == 40
    for key in keys:
        sequences = [json.loads(r.value)["sequence"] for r in records if r.key == key.encode()]
        assert sequences == sorted(sequences)
        assert len(sequences) == len(range(keys.index(key), 40, 3))


async def test_official_cloudevents_sdk_reads_a_published_event(
    infrastructure: Infrastructure, database: Database, widget: Widget, unique_topic: str
) -> None:
    async with database.unit_of_work() as session:
        event_id = await EventWriter("volunteering").add(
            session,
            widget(widget_id="w9", sequence=3, colour="amber"),
            subject="w9",
            site="koeln-chorweiler",
        )
    await relay_all(database)
    [record] = await read_all(infrastructure.kafka.bootstrap_servers, unique_topic, expected=1)

    event = from_binary_event(
        KafkaMessage(
            headers={k: v for k, v in record.headers},
            key=record.key,
            value=record.value,
        )
    )

    assert event.get_specversion() == "1.0"
    assert event.get_id() == str(event_id)
    assert event.get_source() == "/sites/koeln-chorweiler/volunteering"
    assert event.get_type() == "de.drk.carequartier.test.widget.changed.v1"
    assert event.get_subject() == "w9"
    assert event.get_extension("site") == "koeln-chorweiler"
    assert event.get_datacontenttype() == "application/json"
    assert event.get_data() == {"widget_id": "w9", "sequence": 3, "colour": "amber"}
    assert event.get_time() is not None
    assert event.get_time().tzinfo is not None


async def test_a_batch_written_with_one_statement_keeps_each_keys_order_and_its_ids(
    infrastructure: Infrastructure, database: Database, widget: Widget, unique_topic: str
) -> None:
    """add_many: events of several keys interleaved in one call, and two concurrent
    writers of the same keys: every event is stored once, in the given order per key."""
    writer = EventWriter("scheduling")
    keys = ["case-a", "case-b", "case-c"]

    async def write(first: int) -> list[str]:
        staged = [
            Staged(widget(widget_id=keys[n % 3], sequence=n, colour="teal"), keys[n % 3], "zwenkau")
            for n in range(first, first + 30)
        ]
        async with database.unit_of_work() as session:
            return [str(i) for i in await writer.add_many(session, staged)]

    first, second = await asyncio.gather(write(0), write(30))
    async with database.unit_of_work() as session:
        assert await writer.add_many(session, []) == []
    await relay_all(database, MessagingSettings(relay_batch_size=11))

    records = await read_all(infrastructure.kafka.bootstrap_servers, unique_topic, expected=60)
    assert sorted(header(r, "ce_id") for r in records) == sorted(first + second)
    for key in keys:
        sequences = [json.loads(r.value)["sequence"] for r in records if r.key == key.encode()]
        assert len(sequences) == 20
        # One writer's events of a key all come before or after the other's, each in order.
        assert sequences == sorted(sequences) or sequences == sorted(
            sequences, key=lambda n: (n < 30, n)
        )
