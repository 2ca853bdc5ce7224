"""Retention on a real PostgreSQL: published outbox rows, old inbox rows and long-failed
timers go; unpublished, recent and pending rows stay; a backlog goes in batches; one pruner
per database at a time; an inbox period shorter than a redelivery can come is refused."""

from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta

import pytest
from pydantic import ValidationError
from sqlalchemy import text
from sqlmodel import SQLModel

from cq_shared.clock import FixedClock
from cq_shared.db.database import Database
from cq_shared.messaging.tables import InboxEntry, OutboxMessage
from cq_shared.retention import Pruned, RetentionPruner, RetentionSettings
from cq_shared.retention.pruner import PRUNER_LOCK_ID
from cq_shared.service import ServiceSpec, create_service_app
from cq_shared.settings import DatabaseSettings
from cq_shared.telemetry.registry import REGISTRY, service_label
from cq_shared.timers import TimerRow
from cq_testing import rows

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
DAY = timedelta(days=1)

# One row per DELETE statement on the pruned tables, with the number of rows it deleted: a
# statement-level trigger sees each statement's batch, whatever the pruner's code says.
_STATEMENT_LOG = (
    "CREATE TABLE delete_statements (id bigserial PRIMARY KEY, tbl text, deleted int)",
    """
    CREATE FUNCTION log_delete() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        INSERT INTO delete_statements (tbl, deleted) SELECT TG_TABLE_NAME, count(*) FROM gone;
        RETURN NULL;
    END $$
    """,
    *(
        f"CREATE TRIGGER {table}_deletes AFTER DELETE ON {table} REFERENCING OLD TABLE AS gone "
        "FOR EACH STATEMENT EXECUTE FUNCTION log_delete()"
        for table in ("outbox", "inbox", "timers")
    ),
)


@pytest.fixture
async def database(fresh_database_url: str) -> AsyncIterator[Database]:
    database = Database(DatabaseSettings(url=fresh_database_url, pool_size=3))
    async with database.engine.begin() as connection:
        await connection.run_sync(
            SQLModel.metadata.create_all,
            tables=[OutboxMessage.__table__, InboxEntry.__table__, TimerRow.__table__],  # type: ignore[attr-defined]
        )
        for statement in _STATEMENT_LOG:
            await connection.exec_driver_sql(statement)
    yield database
    await database.dispose()


def pruner(database: Database, clock: FixedClock, **settings: object) -> RetentionPruner:
    return RetentionPruner(database, clock=clock, settings=RetentionSettings(**settings))  # type: ignore[arg-type]


async def add_outbox(
    database: Database, name: str, *, published: datetime | None, n: int = 1
) -> None:
    """`n` outbox rows with subject `name` (name-1, name-2, ...), published at `published`
    (None: not yet), created a year before NOW."""
    async with database.unit_of_work() as session:
        await session.execute(
            text(
                """
                INSERT INTO outbox (event_id, topic, message_key, event_type, source, subject,
                                    site, occurred_at, data, created_at, published_at)
                SELECT gen_random_uuid(), 't', 'k', 'e', 's', :name || '-' || i, 'muenster',
                       :created, '{}'::jsonb, :created, :published
                FROM generate_series(1, :n) AS i
                """
            ),
            {"name": name, "n": n, "created": NOW - 365 * DAY, "published": published},
        )


async def add_inbox(database: Database, name: str, *, processed: datetime, n: int = 1) -> None:
    async with database.unit_of_work() as session:
        await session.execute(
            text(
                """
                INSERT INTO inbox (consumer, source, event_id, event_type, processed_at)
                SELECT 'c', 's', :name || '-' || i, 'e', :processed
                FROM generate_series(1, :n) AS i
                """
            ),
            {"name": name, "n": n, "processed": processed},
        )


async def add_timer(database: Database, key: str, *, failed: datetime | None) -> None:
    async with database.unit_of_work() as session:
        await session.execute(
            text(
                "INSERT INTO timers (key, kind, site, at, payload, failed_at) "
                "VALUES (:key, 'k', 'muenster', :at, '{}'::jsonb, :failed)"
            ),
            {"key": key, "at": NOW - 400 * DAY, "failed": failed},
        )


async def outbox_subjects(database: Database) -> set[str]:
    return {row.subject for row in await rows(database, "SELECT subject FROM outbox")}


async def inbox_ids(database: Database) -> set[str]:
    return {row.event_id for row in await rows(database, "SELECT event_id FROM inbox")}


async def timer_keys(database: Database) -> set[str]:
    return {row.key for row in await rows(database, "SELECT key FROM timers")}


def pruned_total(table: str) -> float:
    labels = {"service": service_label(), "table": table}
    return REGISTRY.get_sample_value("retention_pruned_rows_total", labels) or 0.0


async def test_published_outbox_rows_older_than_the_period_go_and_the_rest_stay(
    database: Database,
) -> None:
    await add_outbox(database, "old-published", published=NOW - 8 * DAY)
    await add_outbox(database, "just-over", published=NOW - 7 * DAY - timedelta(seconds=1))
    await add_outbox(database, "recent-published", published=NOW - 6 * DAY)
    await add_outbox(database, "never-published", published=None)  # created a year ago
    before = pruned_total("outbox")

    pruned = await pruner(database, FixedClock(NOW)).prune()

    assert pruned == Pruned(outbox=2)
    assert await outbox_subjects(database) == {"recent-published-1", "never-published-1"}
    assert pruned_total("outbox") - before == 2


async def test_inbox_rows_older_than_the_period_go_and_recent_ones_stay(
    database: Database,
) -> None:
    await add_inbox(database, "old", processed=NOW - 15 * DAY)
    await add_inbox(database, "recent", processed=NOW - 13 * DAY)
    before = pruned_total("inbox")

    pruned = await pruner(database, FixedClock(NOW)).prune()

    assert pruned == Pruned(inbox=1)
    assert await inbox_ids(database) == {"recent-1"}
    assert pruned_total("inbox") - before == 1


async def test_long_failed_timers_go_and_pending_or_recently_failed_ones_stay(
    database: Database,
) -> None:
    await add_timer(database, "failed-long-ago", failed=NOW - 31 * DAY)
    await add_timer(database, "failed-recently", failed=NOW - 29 * DAY)
    await add_timer(database, "pending-and-overdue", failed=None)

    pruned = await pruner(database, FixedClock(NOW)).prune()

    assert pruned == Pruned(timers=1)
    assert await timer_keys(database) == {"failed-recently", "pending-and-overdue"}


async def test_the_periods_come_from_the_settings_and_now_from_the_service_clock(
    database: Database,
) -> None:
    await add_outbox(database, "published", published=NOW - 3 * DAY)
    await add_inbox(database, "processed", processed=NOW - 3 * DAY)
    clock = FixedClock(NOW)
    shorter = pruner(database, clock, outbox_days=7, inbox_days=7)

    assert await shorter.prune() == Pruned()
    clock.set(NOW + 5 * DAY)  # the rows are 8 days old by the service clock
    assert await shorter.prune() == Pruned(outbox=1, inbox=1)
    assert await outbox_subjects(database) == set()
    assert await inbox_ids(database) == set()


async def test_a_backlog_larger_than_a_batch_goes_in_several_short_statements(
    database: Database,
) -> None:
    await add_outbox(database, "old", published=NOW - 30 * DAY, n=250)
    await add_outbox(database, "recent", published=NOW - DAY, n=3)
    await add_inbox(database, "old", processed=NOW - 30 * DAY, n=220)
    await add_inbox(database, "recent", processed=NOW - DAY, n=2)

    pruned = await pruner(database, FixedClock(NOW), batch_size=100).prune()

    assert pruned == Pruned(outbox=250, inbox=220)
    assert await outbox_subjects(database) == {"recent-1", "recent-2", "recent-3"}
    assert await inbox_ids(database) == {"recent-1", "recent-2"}
    statements = [
        (row.tbl, row.deleted)
        for row in await rows(database, "SELECT tbl, deleted FROM delete_statements ORDER BY id")
    ]
    assert statements == [
        ("outbox", 100),
        ("outbox", 100),
        ("outbox", 50),
        ("inbox", 100),
        ("inbox", 100),
        ("inbox", 20),
        ("timers", 0),
    ]


async def test_a_pruner_skips_its_round_while_another_of_the_database_prunes(
    database: Database,
) -> None:
    await add_outbox(database, "old", published=NOW - 30 * DAY)
    second = pruner(database, FixedClock(NOW))

    async with database.unit_of_work() as first:  # holds the pruners' lock, as a pruning one does
        await first.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": PRUNER_LOCK_ID})
        assert await second.prune() is None
        assert await outbox_subjects(database) == {"old-1"}

    assert await second.prune() == Pruned(outbox=1)


def test_the_defaults_keep_the_inbox_twice_as_long_as_the_topics_keep_events() -> None:
    settings = RetentionSettings()
    assert (settings.outbox_days, settings.inbox_days, settings.failed_timers_days) == (7, 14, 30)


@pytest.mark.parametrize(
    ("outbox_days", "inbox_days"),
    [(7, 6), (10, 9), (1, 6)],  # shorter than the outbox's, or than the topics' 7 days
)
def test_an_inbox_period_shorter_than_the_outbox_or_the_topics_is_refused(
    outbox_days: int, inbox_days: int
) -> None:
    with pytest.raises(ValidationError, match="INBOX_DAYS"):
        RetentionSettings(outbox_days=outbox_days, inbox_days=inbox_days)


def test_a_service_with_a_too_short_inbox_period_does_not_start(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("CQ_RETENTION_INBOX_DAYS", "3")
    with pytest.raises(ValidationError, match="INBOX_DAYS"):
        create_service_app(ServiceSpec(name="retention-test", title="refused"))
    monkeypatch.setenv("CQ_RETENTION_INBOX_DAYS", "7")
    create_service_app(ServiceSpec(name="retention-test", title="accepted"))
