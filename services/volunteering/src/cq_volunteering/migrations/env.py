"""Alembic environment: every table of this service, plus the shared outbox and inbox."""

import cq_volunteering.matches.models  # noqa: F401 - registers needs, matches (and volunteers)
from cq_shared.db.migrations import run_migrations, service_metadata

run_migrations(service_metadata("cq_volunteering"))
