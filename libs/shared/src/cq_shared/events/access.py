"""Who may do what on the broker, derived from the topic declarations (docs/decisions/0016).

The ACL matrix is not listed by hand: each declared topic names its owner and its readers, and
the grants follow from that. A service that starts reading a topic without being declared one
of its readers is refused by the broker (and a test compares the declarations with the
consumers, so the two cannot drift apart).
"""

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from cq_shared.events.topics import TopicSpec

# Other DRK branches: the declared public topics only (by name, not by the `public.` prefix,
# which would also open their DLQs and any topic someone names so later), in consumer groups
# of their own prefix.
BRANCH = "branch"
BRANCH_GROUP_PREFIX = "branch."
# The person at the console (kcat, scripts, the re-drive command) and the test suite's own
# clients: a super user on the broker, so it needs no grant here.
OPERATOR = "operator"


class ResourceType(StrEnum):
    TOPIC = "topic"
    GROUP = "group"


class PatternType(StrEnum):
    LITERAL = "literal"
    PREFIXED = "prefixed"


class Operation(StrEnum):
    READ = "read"
    WRITE = "write"
    CREATE = "create"
    DESCRIBE = "describe"
    ALTER = "alter"


# The owner produces, creates its topics at start-up and may grow their partitions.
OWNER_OPERATIONS = (Operation.WRITE, Operation.DESCRIBE, Operation.CREATE, Operation.ALTER)
# A reader reads, and creates the topic at start-up if its owner has not run yet.
READER_OPERATIONS = (Operation.READ, Operation.DESCRIBE, Operation.CREATE)
# A reader dead-letters what it cannot apply to the DLQ of the topic it reads.
DEAD_LETTER_OPERATIONS = (Operation.WRITE, Operation.DESCRIBE, Operation.CREATE)
GROUP_OPERATIONS = (Operation.READ, Operation.DESCRIBE)
BRANCH_OPERATIONS = (Operation.READ, Operation.DESCRIBE)


@dataclass(frozen=True, order=True)
class Grant:
    """Allow `principal` (a SCRAM user name) `operations` on the named resource, from any host."""

    principal: str
    resource_type: ResourceType
    pattern_type: PatternType
    name: str
    operations: tuple[Operation, ...]


def group_prefix(service: str) -> str:
    """Every consumer group of a service starts with this (cq_shared.messaging.groups)."""
    return f"{service}."


def services(topics: Iterable[TopicSpec]) -> list[str]:
    """Every service that owns or reads a declared topic: one broker principal each."""
    return sorted({name for spec in topics for name in (spec.owner, *spec.readers)})


def principals(topics: Iterable[TopicSpec]) -> list[str]:
    """Every SCRAM user a broker needs for the platform's clients."""
    return [*services(topics), BRANCH, OPERATOR]


def grants(topics: Iterable[TopicSpec]) -> list[Grant]:
    """The ACL matrix for `topics` (dead-letter topics follow from each spec), sorted."""
    specs = list(topics)
    matrix: set[Grant] = set()
    for spec in specs:
        for each in spec.with_dead_letters():
            matrix.add(_topic(spec.owner, each.name, OWNER_OPERATIONS))
        for reader in spec.readers:
            matrix.add(_topic(reader, spec.name, READER_OPERATIONS))
            if spec.dlq:
                matrix.add(_topic(reader, spec.dead_letters().name, DEAD_LETTER_OPERATIONS))
        if spec.public:
            matrix.add(_topic(BRANCH, spec.name, BRANCH_OPERATIONS))
    for service in services(specs):
        matrix.add(_prefixed(service, ResourceType.GROUP, group_prefix(service), GROUP_OPERATIONS))
    matrix.add(_prefixed(BRANCH, ResourceType.GROUP, BRANCH_GROUP_PREFIX, GROUP_OPERATIONS))
    return sorted(matrix)


def _topic(principal: str, name: str, operations: tuple[Operation, ...]) -> Grant:
    return Grant(principal, ResourceType.TOPIC, PatternType.LITERAL, name, operations)


def _prefixed(
    principal: str, kind: ResourceType, prefix: str, operations: tuple[Operation, ...]
) -> Grant:
    return Grant(principal, kind, PatternType.PREFIXED, prefix, operations)


def markdown_table(matrix: Iterable[Grant]) -> str:
    """The matrix as the Markdown table of docs/decisions/0016 (a test keeps the two equal)."""
    lines = [
        "| principal | resource | pattern | name | operations |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {g.principal} | {g.resource_type} | {g.pattern_type} | `{g.name}` | "
        f"{', '.join(op.upper() for op in g.operations)} |"
        for g in matrix
    ]
    return "\n".join(lines) + "\n"
