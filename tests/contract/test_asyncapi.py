"""docs/asyncapi.json is generated from the catalogue, valid for the official AsyncAPI parser,
and embeds each type's JSON Schema as its model gives it now (libs/shared/tests/contracts/
test_event_schemas.py keeps that compatible with the released schema files, which are never
regenerated for a released type: they are the baseline). A stale file fails here: regenerate it with
`uv run --frozen python -m cq_shared.contracts.documents`."""

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from cloudevents.core.bindings.kafka import KafkaMessage, from_binary_event

from cq_shared.contracts.asyncapi import asyncapi_document, render
from cq_shared.contracts.documents import ASYNCAPI_FILE, REGENERATE
from cq_shared.events.access import BRANCH
from cq_shared.events.catalogue import catalogue
from cq_shared.events.topics import PUBLIC_PREFIX

from .paths import DOCS, ROOT, VALIDATOR

COMMITTED = DOCS / ASYNCAPI_FILE
NODE_MODULES = VALIDATOR.parent / "node_modules" / "@asyncapi" / "parser"
DOCUMENT = asyncapi_document()


def validate(path: Path) -> subprocess.CompletedProcess[str]:
    """Run the official parser; missing tools fail the test (never skip): `make bootstrap`."""
    node = shutil.which("node")
    assert node, "node is missing: run `make asyncapi-tools` (part of `make bootstrap`)"
    assert NODE_MODULES.is_dir(), "@asyncapi/parser is missing: run `make asyncapi-tools`"
    return subprocess.run(
        [node, str(VALIDATOR), str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
        check=False,
    )


def test_the_committed_document_is_the_generated_one() -> None:
    committed = COMMITTED.read_text(encoding="utf-8")
    assert committed == render(asyncapi_document()), f"stale {COMMITTED}: run `{REGENERATE}`"


def test_the_official_parser_accepts_the_committed_document() -> None:
    result = validate(COMMITTED)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_official_parser_rejects_a_broken_document(tmp_path: Path) -> None:
    document = asyncapi_document()
    operation = next(iter(document["operations"].values()))
    operation["channel"] = {"$ref": "#/channels/no.such.topic"}
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(document), encoding="utf-8")

    result = validate(broken)

    assert result.returncode == 1, result.stdout + result.stderr
    assert "#/channels/no.such.topic" in result.stdout


def test_every_declared_topic_is_a_channel_and_every_type_a_message() -> None:
    document = DOCUMENT
    assert set(document["channels"]) == {topic.name for topic in catalogue.topics()}
    messages = document["components"]["messages"]
    for definition in catalogue:
        message = messages[definition.event_type]
        assert message["name"] == definition.event_type
        assert message["headers"]["properties"]["ce_type"]["const"] == definition.event_type
        channel = document["channels"][definition.topic]
        assert definition.event_type in channel["messages"]


def test_owners_send_and_readers_receive() -> None:
    operations = DOCUMENT["operations"]
    for topic in catalogue.topics():
        if not any(definition.topic == topic.name for definition in catalogue):
            continue
        send = operations[f"{topic.owner}.send.{topic.name}"]
        assert send["action"] == "send"
        assert send["channel"] == {"$ref": f"#/channels/{topic.name}"}
        branch = {BRANCH} if topic.name.startswith(PUBLIC_PREFIX) else set()
        readers = set(topic.readers) | branch
        received = {
            name.split(".receive.")[0]
            for name, operation in operations.items()
            if operation["action"] == "receive" and name.endswith(f".receive.{topic.name}")
        }
        assert received == readers


@pytest.mark.parametrize("event_type", catalogue.public_event_types())
def test_the_official_sdk_reads_each_example(event_type: str) -> None:
    """The documented headers are CloudEvents binary mode as the SDK branches use reads it."""
    [example] = DOCUMENT["components"]["messages"][event_type]["examples"]
    headers = {name: value.encode() for name, value in example["headers"].items()}
    message = KafkaMessage(
        headers=headers,
        key=example["headers"]["ce_subject"],
        value=json.dumps(example["payload"]).encode(),
    )

    event = from_binary_event(message)

    assert event.get_type() == event_type
    assert event.get_extension("site") == example["payload"]["site"]
    assert event.get_data() == example["payload"]
