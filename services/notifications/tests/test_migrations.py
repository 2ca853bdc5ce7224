"""The Alembic revisions create exactly what the models describe."""

import cq_notifications.models  # noqa: F401 - registers the service's tables
from cq_shared.db.migrations import service_metadata
from cq_testing.migrations import migration_drift


async def test_the_migrations_match_the_models(fresh_database_url: str) -> None:
    tables = service_metadata("cq_notifications")
    assert await migration_drift(fresh_database_url, "cq_notifications:migrations", tables) == []
