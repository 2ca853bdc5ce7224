"""Applying the ACL matrix (cq_shared.events.access) to a broker, all grants in one request.

aiokafka's admin client has no `create_acls`, and the JVM's `kafka.admin.AclCommand` costs about
two seconds per start; the test suite starts a broker per session and `make run` one per run.
So the grants go as one CreateAcls request (API key 30, version 1, the first with pattern
types) over aiokafka's own connection, which already speaks SASL/SCRAM.
"""

from typing import Any

from aiokafka.client import AIOKafkaClient
from aiokafka.errors import for_code
from aiokafka.protocol.admin import CreateAclsRequest_v1
from aiokafka.protocol.api import Request

from cq_shared.events.access import Grant, Operation, PatternType, ResourceType
from cq_shared.messaging.connection import client_options
from cq_shared.settings import KafkaSettings

# Kafka's wire codes (org.apache.kafka.common.acl and .resource).
RESOURCE_TYPES = {ResourceType.TOPIC: 2, ResourceType.GROUP: 3}
PATTERN_TYPES = {PatternType.LITERAL: 3, PatternType.PREFIXED: 4}
OPERATIONS = {
    Operation.READ: 3,
    Operation.WRITE: 4,
    Operation.CREATE: 5,
    Operation.ALTER: 7,
    Operation.DESCRIBE: 8,
}
ALLOW = 3
ANY_HOST = "*"


class _CreateAcls(Request[CreateAclsRequest_v1]):  # type: ignore[misc]
    """Many ACLs in one request (aiokafka's own CreateAclsRequest carries one)."""

    API_KEY = 30

    def __init__(self, creations: list[tuple[Any, ...]]) -> None:
        self._creations = creations

    def build(self, request_struct_class: type[CreateAclsRequest_v1]) -> CreateAclsRequest_v1:
        return request_struct_class(self._creations)


def _creations(grants: list[Grant]) -> list[tuple[Any, ...]]:
    return [
        (
            RESOURCE_TYPES[grant.resource_type],
            grant.name,
            PATTERN_TYPES[grant.pattern_type],
            f"User:{grant.principal}",
            ANY_HOST,
            OPERATIONS[operation],
            ALLOW,
        )
        for grant in grants
        for operation in grant.operations
    ]


async def apply_grants(settings: KafkaSettings, grants: list[Grant]) -> None:
    """Create the ACLs of `grants` (idempotent: an existing ACL is left as it is). `settings`
    must log in as a super user."""
    creations = _creations(grants)
    client = AIOKafkaClient(**client_options(settings), client_id="carequartier-acls")
    await client.bootstrap()
    try:
        response = await client.send(client.get_random_node(), _CreateAcls(creations))
    finally:
        await client.close()
    for creation, (code, message) in zip(creations, response.creation_responses, strict=True):
        if code:
            raise for_code(code)(f"could not create ACL {creation}: {message}")
