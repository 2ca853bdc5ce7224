"""The AsyncAPI 3 document of every declared topic and event type, built from the catalogue.

Committed as docs/asyncapi.json (a test fails when it drifts; regenerate with
`uv run --frozen python -m cq_shared.contracts.documents`) and served by every service at
`GET /asyncapi.json`. CI validates it with the official AsyncAPI parser (tools/asyncapi).
"""

import json
from importlib.metadata import version
from typing import Any

from cq_shared.contracts.describe import (
    example_headers,
    examples,
    header_schema,
    key_description,
    payload_schema,
    retention_text,
)
from cq_shared.events.access import BRANCH, BRANCH_GROUP_PREFIX, OPERATOR, services
from cq_shared.events.catalogue import EventCatalogue, EventDefinition, catalogue
from cq_shared.events.topics import DLQ_RETENTION, PUBLIC_PREFIX, TopicSpec

ASYNCAPI_VERSION = "3.0.0"
KAFKA_BINDING = "0.5.0"
SECURITY_SCHEME = "scram"
DEVELOPMENT_BROKER = "127.0.0.1:9092"  # `make run`'s broker (CQ_DEVSTACK_KAFKA_PORT)

_DESCRIPTION = """\
Every event of the CareQuartier platform: CloudEvents 1.0 in Kafka binary mode (attributes in \
`ce_*` headers, the JSON payload as the record value), one channel per declared topic. Topics \
named `public.*` are the public contract other DRK branches may read (docs/public-contract.md); \
all others are internal and may change with the services. Dead-letter topics (`<topic>.dlq`) \
are left out: only operators read them, and their records are the topic's own messages with \
failure headers added."""


def asyncapi_document(events: EventCatalogue = catalogue) -> dict[str, Any]:
    topics = events.topics()
    definitions = list(events)
    return {
        "asyncapi": ASYNCAPI_VERSION,
        "id": "urn:de.drk.carequartier:events",
        "info": {
            "title": "CareQuartier events",
            "version": version("carequartier-shared"),
            "description": _DESCRIPTION,
        },
        "defaultContentType": "application/json",
        "servers": {
            "development": {
                "host": DEVELOPMENT_BROKER,
                "protocol": "kafka",
                "description": "The local broker `make run` starts (development only); "
                "SASL/SCRAM-SHA-512 over plaintext, credentials printed by `make run`.",
                "security": [{"$ref": f"#/components/securitySchemes/{SECURITY_SCHEME}"}],
            }
        },
        "channels": {topic.name: _channel(topic, events) for topic in topics},
        "operations": _operations(topics, events),
        "components": {
            "messages": {
                d.event_type: _message(d, events.topic(d.topic).owner, events) for d in definitions
            },
            "securitySchemes": {
                SECURITY_SCHEME: {
                    "type": "scramSha512",
                    "description": "SASL/SCRAM-SHA-512. One principal per service ("
                    + ", ".join(services(events.topics()))
                    + f"), `{BRANCH}` for other DRK branches (may read only `{PUBLIC_PREFIX}*`, "
                    f"in consumer groups starting with `{BRANCH_GROUP_PREFIX}`) and `{OPERATOR}` "
                    "for people running the platform. Broker ACLs derived from the topic "
                    "declarations enforce it (docs/decisions/0016).",
                }
            },
        },
    }


def _channel(topic: TopicSpec, events: EventCatalogue) -> dict[str, Any]:
    retention_ms = -1 if topic.retention is None else int(topic.retention.total_seconds() * 1000)
    return {
        "address": topic.name,
        "title": topic.name,
        "description": _channel_description(topic),
        "messages": {
            d.event_type: {"$ref": f"#/components/messages/{d.event_type}"}
            for d in _on(topic, events)
        },
        "bindings": {
            "kafka": {
                "topic": topic.name,
                "partitions": topic.partitions,
                "topicConfiguration": {
                    "cleanup.policy": topic.cleanup_policy.split(","),
                    "retention.ms": retention_ms,
                },
                "bindingVersion": KAFKA_BINDING,
            }
        },
    }


def _channel_description(topic: TopicSpec) -> str:
    visibility = (
        f"Public: other DRK branches may read it (principal `{BRANCH}`)."
        if topic.public
        else "Internal: only the platform's services read it."
    )
    readers = ", ".join(topic.readers) or "none declared"
    dead_letters = (
        f" Consumers dead-letter to `{topic.name}.dlq` ({DLQ_RETENTION.days} days)."
        if topic.dlq
        else ""
    )
    return (
        f"Owner: {topic.owner}. Reading services: {readers}. "
        f"Partitions: {topic.partitions}. Retention: {retention_text(topic.retention)}. "
        f"Cleanup policy: {topic.cleanup_policy}. {visibility}{dead_letters}"
    )


def _operations(topics: list[TopicSpec], events: EventCatalogue) -> dict[str, Any]:
    operations: dict[str, Any] = {}
    for topic in topics:
        messages = [
            {"$ref": f"#/channels/{topic.name}/messages/{d.event_type}"} for d in _on(topic, events)
        ]
        if not messages:  # AsyncAPI needs at least one message to say what is sent
            continue
        channel = {"$ref": f"#/channels/{topic.name}"}
        operations[f"{topic.owner}.send.{topic.name}"] = {
            "action": "send",
            "channel": channel,
            "summary": f"{topic.owner} publishes to {topic.name}.",
            "messages": messages,
        }
        for reader in _readers(topic):
            operations[f"{reader}.receive.{topic.name}"] = {
                "action": "receive",
                "channel": channel,
                "summary": f"{reader} reads {topic.name}.",
                "messages": messages,
            }
    return operations


def _readers(topic: TopicSpec) -> list[str]:
    """Who reads the topic: the services declared with it (the broker's ACLs follow from the
    same declaration) and, on a public topic, other branches."""
    return sorted({*topic.readers, *([BRANCH] if topic.public else [])})


def _message(definition: EventDefinition, owner: str, events: EventCatalogue) -> dict[str, Any]:
    payload = payload_schema(definition.event_type, events)
    message: dict[str, Any] = {
        "name": definition.event_type,
        "title": definition.model.__name__,
        "contentType": "application/json",
        "headers": header_schema(definition, owner),
        "payload": payload,
        "bindings": {
            "kafka": {
                "key": {"type": "string", "description": key_description(definition)},
                "bindingVersion": KAFKA_BINDING,
            }
        },
    }
    if "description" in payload:
        message["description"] = " ".join(payload["description"].split())
    found = examples(definition)
    if found:
        message["examples"] = [
            {
                "name": f"example-{index}",
                "headers": example_headers(definition, owner, example),
                "payload": example,
            }
            for index, example in enumerate(found, start=1)
        ]
    return message


def _on(topic: TopicSpec, events: EventCatalogue) -> list[EventDefinition]:
    return [d for d in events if d.topic == topic.name]


def render(document: dict[str, Any]) -> str:
    """The committed form: stable key order, two-space indent, trailing newline."""
    return json.dumps(document, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
