"""The Alembic revisions create exactly what the models describe."""

from cq_intake.models import metadata
from cq_testing.migrations import migration_drift


async def test_the_migrations_match_the_models(fresh_database_url: str) -> None:
    assert await migration_drift(fresh_database_url, "cq_intake:migrations", metadata) == []
