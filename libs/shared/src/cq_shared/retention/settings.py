"""How long the kernel's tables keep rows; environment prefix CQ_RETENTION_.

The one rule between the periods: an inbox row must outlive every copy of its event that can
still be delivered. A consumer skips a redelivered event only because its inbox row
(consumer, source, event id) is still there; once the row is pruned, the same event would be
applied again. An event can be delivered again for as long as it is in its topic (a consumer
group reset or rewound, a partition reassigned before an offset commit) and as long as its
outbox row could be published again (an operator re-relaying published rows). So the inbox
keeps its rows at least as long as the longest retention of a declared topic and as long as
the outbox keeps its published rows; settings that break this are refused when the service
starts (the app is not built).

Kafka deletes whole log segments, so a record can outlive `retention.ms` by up to the
segment's age (`segment.ms`): the inbox default is twice the topics' 7 days for that margin.
Topics kept for ever (retention None) cannot be covered by any inbox period: their consumers
deduplicate by their own state. The one declared, the compacted `intake.case-keys`, is applied
idempotently (a key is stored once and a destroyed key stays destroyed). Public topics
(`public.*`, kept for a year and more for the branches that read them) are not counted either:
their one internal consumer, the webhook fan-out of notifications, delivers only events younger
than the inbox period, so an older redelivered event is skipped, not applied twice.
"""

from datetime import timedelta

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from cq_shared.events.catalogue import catalogue
from cq_shared.events.topics import DEFAULT_RETENTION


class RetentionSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="CQ_RETENTION_")

    # Published outbox rows (audit of what was sent, latency figures): as long as the topics
    # keep the events themselves (DEFAULT_RETENTION, 7 days); after that the record in Kafka
    # is gone too, and the row is the last copy of personal data nobody needs any more.
    # Unpublished rows are never pruned.
    outbox_days: int = Field(default=7, ge=1)
    # Inbox rows: longer than anything that can still be redelivered (see the module's
    # docstring); shorter values are refused.
    inbox_days: int = Field(default=14, ge=1)
    # Timers that failed for good, kept for an operator to look at (and revive) for a month.
    failed_timers_days: int = Field(default=30, ge=1)
    # How often each process runs a prune. Replicas share one database: at most one of them
    # prunes at a time, the others skip that round.
    interval_seconds: float = Field(default=3600.0, gt=0)
    # The first round waits this long after start-up, when the process is busiest (migrations,
    # consumers catching up after a deployment).
    first_delay_seconds: float = Field(default=60.0, ge=0)
    # Rows deleted per statement and transaction: a large backlog is pruned in many short
    # transactions, never with one long lock.
    batch_size: int = Field(default=5000, ge=1)

    @model_validator(mode="after")
    def _inbox_outlives_redeliveries(self) -> "RetentionSettings":
        needed = max(timedelta(days=self.outbox_days), longest_topic_retention())
        if timedelta(days=self.inbox_days) < needed:
            raise ValueError(
                f"CQ_RETENTION_INBOX_DAYS={self.inbox_days} is shorter than the outbox's "
                f"retention or a topic's ({needed.days} days): a redelivered event would be "
                "applied twice once its inbox row is pruned"
            )
        return self

    @property
    def outbox(self) -> timedelta:
        return timedelta(days=self.outbox_days)

    @property
    def inbox(self) -> timedelta:
        return timedelta(days=self.inbox_days)

    @property
    def failed_timers(self) -> timedelta:
        return timedelta(days=self.failed_timers_days)


def longest_topic_retention() -> timedelta:
    """The longest time a declared internal topic keeps an event (dead-letter topics aside:
    a dead letter was never applied, so it has no inbox row to find), at least
    DEFAULT_RETENTION. Public topics are left out (see the module's docstring)."""
    return max(
        [DEFAULT_RETENTION]
        + [
            spec.retention
            for spec in catalogue.topics()
            if spec.retention is not None and not spec.public
        ]
    )
