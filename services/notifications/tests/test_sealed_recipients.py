"""Contact points that travel sealed (crypto-shredding, decision 0012): the case's key and
its sealed registration come on two topics in either order; a destroyed key stays destroyed;
a sealed value that does not open with the case's key goes to the DLQ at once."""

import base64
import uuid

import pytest
from aiokafka import AIOKafkaConsumer
from sqlalchemy import text

from cq_devstack.kafka_offsets import skip_to_end
from cq_devstack.stack import Infrastructure
from cq_notifications.main import build_app
from cq_shared.contracts.common import Language, RecipientRole
from cq_shared.contracts.intake import CaseKeyIssued, RecipientsRegisteredV2
from cq_shared.crypto import new_case_key
from cq_shared.messaging.connection import client_options
from cq_shared.messaging.dlq import ATTEMPTS, CONSUMER, REASON
from cq_shared.messaging.groups import consumer_group
from cq_shared.settings import KafkaSettings
from cq_testing import Publisher, count, eventually, metric

from . import samples
from .support import mails_arrived, mails_to

ROLE = RecipientRole


@pytest.fixture(autouse=True)
async def groups_of_this_test(infrastructure: Infrastructure, own_consumer_groups: str) -> str:
    """The app consumes in groups of its own, from the current end of both intake topics
    (the keys' group too, which the package's conftest does not move)."""
    topics = [RecipientsRegisteredV2.topic, CaseKeyIssued.topic]
    for group in ("recipients", "case-keys", "case-updates"):
        name = consumer_group("notifications", group, own_consumer_groups)
        await skip_to_end(infrastructure.kafka.bootstrap_servers, name, topics)
    return own_consumer_groups


async def test_key_first_then_the_sealed_registration_mails_the_relative(
    serve, infrastructure, publisher: Publisher
) -> None:
    sink, tag, case_id, key = infrastructure.smtp, samples.tag(), uuid.uuid4(), new_case_key()
    son = samples.recipient(
        ROLE.RELATIVE, "Mehmet", "Yılmaz", Language.TR, f"mehmet-{tag}@example.org"
    )
    app = build_app()
    async with serve(app):
        database = app.state.database
        await publisher.send(samples.key_issued(case_id, key))
        await eventually(lambda: _key_stored(database, case_id), what="the case's key to be stored")
        await publisher.send(samples.sealed_registered(case_id, key, son))
        await publisher.send(samples.case_opened_v2(case_id))

        mail = (await eventually(lambda: mails_arrived(sink, son.email)))[son.email]
        assert mail["Subject"] == "Talebiniz bize ulaştı"
        assert mail["Content-Language"] == "tr"
        assert "Sayın Mehmet Yılmaz," in mail.get_content()
        assert await _count(database, "sealed_registrations", case_id) == 0
        # What was opened is kept as any registration: readable, for the sender.
        stored = "SELECT count(*) FROM recipients WHERE case_id = :case AND email = :email"
        assert await count(database, stored, case=case_id, email=son.email) == 1


async def test_a_registration_before_its_key_waits_sealed_then_is_mailed_once(
    serve, infrastructure, publisher: Publisher, groups_of_this_test: str
) -> None:
    sink, tag, case_id, key = infrastructure.smtp, samples.tag(), uuid.uuid4(), new_case_key()
    daughter = samples.recipient(
        ROLE.RELATIVE, "Sabine", "Becker", Language.DE, f"sabine-{tag}@example.org"
    )
    app = build_app()
    async with serve(app) as client:
        database = app.state.database
        await publisher.send(samples.sealed_registered(case_id, key, daughter))
        await publisher.send(samples.case_opened_v2(case_id))

        # The registration is parked sealed; the news after it waits for the recipients.
        await eventually(
            lambda: _count(database, "sealed_registrations", case_id),
            what="the sealed registration to be parked",
        )
        await eventually(
            lambda: _count(database, "parked_events", case_id),
            what="the case's CaseOpened to wait for its recipients",
        )
        parked = await _sealed_text(database, case_id)
        assert parked.startswith("v1.")
        for readable in (daughter.given_name, daughter.family_name, daughter.email, tag):
            assert readable not in parked
        assert await _count(database, "recipients", case_id) == 0
        assert await _count(database, "deliveries", case_id) == 0
        assert mails_to(sink, daughter.email) == []

        issued = await publisher.send(samples.key_issued(case_id, key))
        mail = (await eventually(lambda: mails_arrived(sink, daughter.email)))[daughter.email]
        assert mail["Subject"] == "Ihre Anfrage ist bei uns eingegangen"
        assert "Guten Tag Sabine Becker," in mail.get_content()
        await eventually(lambda: _sent(database, case_id), what="the delivery to be sent")
        assert await _count(database, "sealed_registrations", case_id) == 0
        assert await _count(database, "parked_events", case_id) == 0

        # The key again (a redelivery, and a second issue of it): nothing is left to release.
        keys_group = groups_of_this_test
        before = await _keys_consumed(client, keys_group)
        await publisher.send(samples.key_issued(case_id, key), event_id=issued.id)
        await publisher.send(samples.key_issued(case_id, key))
        await eventually(
            lambda: _keys_consumed(client, keys_group),
            until=lambda now: now >= before + 2,
            what="both keys to be consumed",
        )
        assert await _count(database, "deliveries", case_id) == 1
        assert len(mails_to(sink, daughter.email)) == 1


async def test_a_destroyed_key_registers_nobody_and_is_not_revived(
    serve, infrastructure, publisher: Publisher, groups_of_this_test: str
) -> None:
    sink, tag, case_id, key = infrastructure.smtp, samples.tag(), uuid.uuid4(), new_case_key()
    client_person = samples.recipient(
        ROLE.CLIENT, "Erika", "Schulz", Language.DE, f"erika-{tag}@example.org"
    )
    app = build_app()
    async with serve(app) as client:
        database = app.state.database
        await publisher.send(samples.key_destroyed(case_id))
        await eventually(lambda: _key_destroyed(database, case_id), what="the key destroyed")

        # An erased case re-driven: its sealed registration and CaseOpened come again.
        await publisher.send(samples.sealed_registered(case_id, key, client_person))
        await publisher.send(samples.case_opened_v2(case_id))
        await eventually(
            lambda: _count(database, "parked_events", case_id),
            what="the case's CaseOpened to be handled (it finds nobody to tell)",
        )
        assert await _count(database, "recipients", case_id) == 0
        assert await _count(database, "sealed_registrations", case_id) == 0
        assert await _count(database, "deliveries", case_id) == 0

        # A late (or re-driven) issue of the key does not bring it back.
        before = await _keys_consumed(client, groups_of_this_test)
        await publisher.send(samples.key_issued(case_id, key))
        await eventually(
            lambda: _keys_consumed(client, groups_of_this_test),
            until=lambda now: now > before,
            what="the late key to be consumed",
        )
        assert await _key_destroyed(database, case_id)
        assert await _count(database, "recipients", case_id) == 0
        assert await _count(database, "deliveries", case_id) == 0
        assert mails_to(sink, client_person.email) == []


async def test_a_sealed_value_that_does_not_open_goes_to_the_dlq_at_once_alone(
    serve, infrastructure, publisher: Publisher, groups_of_this_test: str
) -> None:
    sink, tag = infrastructure.smtp, samples.tag()
    tampered_case, moved_case, good_case = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    keys = {case: new_case_key() for case in (tampered_case, moved_case, good_case)}
    people = {
        case: samples.recipient(ROLE.RELATIVE, "Jana", "Roth", Language.DE, f"{n}-{tag}@x.org")
        for n, case in enumerate((tampered_case, moved_case, good_case))
    }
    app = build_app()
    async with serve(app):
        database = app.state.database
        for case, key in keys.items():
            await publisher.send(samples.key_issued(case, key))
        for case in keys:
            await eventually(lambda case=case: _key_stored(database, case), what="the keys")

        good = samples.sealed_registered(tampered_case, keys[tampered_case], people[tampered_case])
        tampered = good.model_copy(update={"sealed_recipients": _tampered(good.sealed_recipients)})
        # Sealed with another case's key, for that other case: moved here, it must not open.
        moved = samples.sealed_registered(
            moved_case, keys[tampered_case], people[moved_case], sealed_for=tampered_case
        )
        dead = [await publisher.send(tampered), await publisher.send(moved)]
        await publisher.send(
            samples.sealed_registered(good_case, keys[good_case], people[good_case])
        )
        await publisher.send(samples.case_opened_v2(good_case))

        # The cases after them go on: their mail goes out.
        await eventually(lambda: mails_arrived(sink, people[good_case].email))
        letters = await _dead_letters(
            infrastructure.kafka.bootstrap_servers,
            RecipientsRegisteredV2.topic + ".dlq",
            {envelope.id for envelope in dead},
        )
        consumer = consumer_group("notifications", "recipients", groups_of_this_test)
        for letter in letters.values():
            # Permanent: dead-lettered on the first attempt, not after the retries.
            assert letter[REASON] == "permanent"
            assert letter[ATTEMPTS] == "1"
            assert letter[CONSUMER] == consumer
            assert "Jana" not in letter["dlq_error"]
        for case in (tampered_case, moved_case):
            assert await _count(database, "recipients", case) == 0
            assert await _count(database, "sealed_registrations", case) == 0
            assert mails_to(sink, people[case].email) == []


async def test_a_parked_registration_that_does_not_open_is_dropped_the_key_kept(
    serve, infrastructure, publisher: Publisher
) -> None:
    sink, tag, case_id, key = infrastructure.smtp, samples.tag(), uuid.uuid4(), new_case_key()
    wife = samples.recipient(ROLE.RELATIVE, "Anna", "Lang", Language.DE, f"anna-{tag}@x.org")
    app = build_app()
    async with serve(app):
        database = app.state.database
        # Sealed with a key that is not the case's: parked, as nothing can tell yet.
        await publisher.send(samples.sealed_registered(case_id, new_case_key(), wife))
        await eventually(
            lambda: _count(database, "sealed_registrations", case_id),
            what="the sealed registration to be parked",
        )
        await publisher.send(samples.key_issued(case_id, key))
        # The key is kept (its event is not dead-lettered for the registration's fault), the
        # registration that cannot open is dropped.
        await eventually(lambda: _key_stored(database, case_id), what="the case's key")
        assert await _count(database, "sealed_registrations", case_id) == 0
        assert await _count(database, "recipients", case_id) == 0

        # A correct registration after it opens with the kept key at once.
        await publisher.send(samples.sealed_registered(case_id, key, wife))
        await publisher.send(samples.case_opened_v2(case_id))
        await eventually(lambda: mails_arrived(sink, wife.email))
        assert len(mails_to(sink, wife.email)) == 1


async def _count(database, table: str, case_id: uuid.UUID) -> int:
    return await count(
        database, f"SELECT count(*) FROM {table} WHERE case_id = :case", case=case_id
    )


async def _key_stored(database, case_id: uuid.UUID) -> bool:
    stored = "SELECT count(*) FROM case_keys WHERE case_id = :case AND key IS NOT NULL"
    return await count(database, stored, case=case_id) == 1


async def _key_destroyed(database, case_id: uuid.UUID) -> bool:
    gone = (
        "SELECT count(*) FROM case_keys "
        "WHERE case_id = :case AND key IS NULL AND destroyed_at IS NOT NULL"
    )
    return await count(database, gone, case=case_id) == 1


async def _sealed_text(database, case_id: uuid.UUID) -> str:
    async with database.engine.connect() as connection:
        row = await connection.execute(
            text("SELECT sealed_recipients FROM sealed_registrations WHERE case_id = :case"),
            {"case": case_id},
        )
        return str(row.scalar_one())


async def _sent(database, case_id: uuid.UUID) -> bool:
    sent = "SELECT count(*) FROM deliveries WHERE case_id = :case AND status = 'sent'"
    return await count(database, sent, case=case_id) == 1


async def _keys_consumed(client, prefix: str) -> float:
    """Key events this test's case-keys consumer settled (applied or found applied before)."""
    consumer = f'consumer="{consumer_group("notifications", "case-keys", prefix)}"'
    return await metric(client, "events_consumed_total", consumer)


def _tampered(sealed: str) -> str:
    """The same token with one bit of its ciphertext flipped."""
    version, _, body = sealed.partition(".")
    raw = bytearray(base64.urlsafe_b64decode(body))
    raw[14] ^= 0x01  # past the 12-byte nonce
    return f"{version}.{base64.urlsafe_b64encode(bytes(raw)).decode()}"


async def _dead_letters(bootstrap: str, topic: str, ids: set[str]) -> dict[str, dict[str, str]]:
    """The DLQ headers of each wanted event, read from the beginning of the DLQ topic."""
    consumer = AIOKafkaConsumer(
        topic,
        **client_options(KafkaSettings(bootstrap_servers=bootstrap)),
        group_id="notifications-test-" + uuid.uuid4().hex,
        auto_offset_reset="earliest",
        enable_auto_commit=False,
    )
    await consumer.start()
    found: dict[str, dict[str, str]] = {}
    try:

        async def all_found() -> bool:
            for records in (await consumer.getmany(timeout_ms=500)).values():
                for record in records:
                    headers = {name: value.decode() for name, value in record.headers}
                    if headers.get("ce_id") in ids:
                        found[headers["ce_id"]] = headers
            return found.keys() == ids

        await eventually(all_found, "the dead letters")
    finally:
        await consumer.stop()
    return found
