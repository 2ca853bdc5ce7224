"""The hand-tidied migration and the models describe the same schema, both ways."""

from alembic import command

from cq_shared.db.migrations import alembic_config, upgrade_to_head

SCRIPTS = "cq_scheduling:migrations"


def test_the_migration_matches_the_models_and_downgrades(fresh_database_url: str) -> None:
    upgrade_to_head(fresh_database_url, SCRIPTS)
    config = alembic_config(fresh_database_url, SCRIPTS)
    command.check(config)  # raises if autogenerate would find a difference
    command.downgrade(config, "base")
    upgrade_to_head(fresh_database_url, SCRIPTS)
