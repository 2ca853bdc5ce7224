"""Retention: the kernel's tables do not grow for ever.

Every service process prunes, periodically and in small batches, published outbox rows, old
inbox rows and timers that failed long ago (`RetentionPruner`, run by the service factory).
Unpublished outbox rows and pending timers are never pruned. See
docs/decisions/0014-retention.md.
"""

from cq_shared.retention.pruner import Pruned, RetentionPruner
from cq_shared.retention.settings import RetentionSettings

__all__ = ["Pruned", "RetentionPruner", "RetentionSettings"]
