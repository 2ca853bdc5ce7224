"""The Alembic revisions create exactly the tables the models describe (no drift)."""

import cq_volunteering.matches.models  # noqa: F401 - registers every table
from cq_shared.db.migrations import service_metadata
from cq_testing.migrations import migration_drift


async def test_migrations_match_the_models(fresh_database_url: str) -> None:
    # Only this service's tables: the test process also holds the other services' models.
    tables = service_metadata("cq_volunteering")
    assert await migration_drift(fresh_database_url, "cq_volunteering:migrations", tables) == []
