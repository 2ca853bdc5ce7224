"""How long to wait before the next attempt: exponential backoff with full jitter."""

import random
from dataclasses import dataclass


class PermanentError(Exception):
    """Raised by a handler for a message that no retry can fix (e.g. it refers to a site this
    service does not serve): it goes to the DLQ at once."""


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    base_seconds: float = 0.2
    max_seconds: float = 10.0

    def delay_before(self, attempt: int) -> float:
        """Delay before attempt `attempt` (2 = the first retry). Full jitter keeps many
        consumers that failed together from retrying in lockstep."""
        ceiling = min(self.max_seconds, self.base_seconds * 2 ** (attempt - 2))
        return random.uniform(ceiling / 2, ceiling)  # noqa: S311 - jitter, not cryptography
