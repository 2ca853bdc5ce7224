"""Alembic environment for intake's database (intake's tables, the outbox and the inbox)."""

from cq_intake.models import metadata
from cq_shared.db.migrations import run_migrations

run_migrations(metadata)
