"""The kernel's tables as Alembic operations, so that every service's migrations create the
same outbox, inbox and timers (`cq_shared.messaging.tables`, `cq_shared.timers.table`)
without four copies of their DDL. Call them from a revision's `upgrade()` / `downgrade()`.

A change to one of these tables is a new function here (e.g. `add_outbox_column_x()`) called
from a new revision of every service: never edit what an applied revision has run.
"""

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql


def create_outbox_table() -> None:
    """Events written with the change, published by the relay."""
    op.create_table(
        "outbox",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("event_id", sa.Uuid(), nullable=False),
        sa.Column("topic", sa.String(), nullable=False),
        sa.Column("message_key", sa.String(), nullable=False),
        sa.Column("event_type", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("data", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("traceparent", sa.Text(), nullable=True),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("clock_timestamp()"),
            nullable=False,
        ),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_outbox_unpublished",
        "outbox",
        ["id"],
        unique=False,
        postgresql_where=sa.text("published_at IS NULL"),
    )


def drop_outbox_table() -> None:
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
    op.drop_table("outbox")


def create_inbox_table() -> None:
    """Events this service's consumers have applied (the key makes a redelivery a no-op)."""
    op.create_table(
        "inbox",
        sa.Column("consumer", sa.String(), nullable=False),
        sa.Column("source", sa.String(), nullable=False),
        sa.Column("event_id", sa.String(), nullable=False),
        sa.Column("event_type", sa.String(), nullable=False),
        sa.Column(
            "processed_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("now()"),
            nullable=False,
        ),
        sa.PrimaryKeyConstraint("consumer", "source", "event_id"),
    )


def drop_inbox_table() -> None:
    op.drop_table("inbox")


def create_timers_table() -> None:
    """Durable timers not fired yet (and failed ones, kept for an operator)."""
    op.create_table(
        "timers",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("payload", postgresql.JSONB(astext_type=sa.Text()), nullable=False),
        sa.Column("attempt", sa.Integer(), server_default=sa.text("1"), nullable=False),
        sa.Column(
            "created_at",
            sa.DateTime(timezone=True),
            server_default=sa.text("clock_timestamp()"),
            nullable=False,
        ),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("key"),
    )
    op.create_index(
        "ix_timers_due",
        "timers",
        ["at"],
        unique=False,
        postgresql_where=sa.text("failed_at IS NULL"),
    )


def drop_timers_table() -> None:
    op.drop_index("ix_timers_due", table_name="timers")
    op.drop_table("timers")


def create_retention_indexes() -> None:
    """The indexes the retention pruner searches by (cq_shared.retention): published outbox
    rows by `published_at`, inbox rows by `processed_at`, failed timers by `failed_at`.

    Built CONCURRENTLY, outside the revision's transaction: until now nothing pruned these
    tables, so an outbox or inbox can be large, and a plain CREATE INDEX would block every
    write to it (every request and every event) for the whole build. If a build fails, the
    index is left INVALID: drop it and run the migration again."""
    with op.get_context().autocommit_block():
        op.create_index(
            "ix_outbox_published_at",
            "outbox",
            ["published_at"],
            unique=False,
            postgresql_where=sa.text("published_at IS NOT NULL"),
            postgresql_concurrently=True,
        )
        op.create_index(
            "ix_inbox_processed_at",
            "inbox",
            ["processed_at"],
            unique=False,
            postgresql_concurrently=True,
        )
        op.create_index(
            "ix_timers_failed_at",
            "timers",
            ["failed_at"],
            unique=False,
            postgresql_where=sa.text("failed_at IS NOT NULL"),
            postgresql_concurrently=True,
        )


def drop_retention_indexes() -> None:
    with op.get_context().autocommit_block():
        for name, table in (
            ("ix_timers_failed_at", "timers"),
            ("ix_inbox_processed_at", "inbox"),
            ("ix_outbox_published_at", "outbox"),
        ):
            op.drop_index(name, table_name=table, postgresql_concurrently=True)


def create_audit_table() -> None:
    """The access trail of health data (cq_shared.audit): who, roles, site, what, which
    case, when, why; no health data. No foreign key: it outlives the case's erasure."""
    op.create_table(
        "audit_events",
        sa.Column("id", sa.BigInteger(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("actor", sa.String(), nullable=False),
        sa.Column("roles", postgresql.ARRAY(sa.Text()), nullable=False),
        sa.Column("site", sa.String(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("resource", sa.String(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("purpose", sa.String(), nullable=False),
        sa.Column("trace_id", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_audit_events_case_id", "audit_events", ["case_id"])
    op.create_index("ix_audit_events_occurred_at", "audit_events", ["occurred_at"])


def drop_audit_table() -> None:
    op.drop_index("ix_audit_events_occurred_at", table_name="audit_events")
    op.drop_index("ix_audit_events_case_id", table_name="audit_events")
    op.drop_table("audit_events")
