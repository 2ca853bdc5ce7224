"""Alembic environment: the shared runner over this service's tables (and outbox, inbox)."""

import cq_notifications.models  # noqa: F401 - puts the service's tables on the metadata
from cq_shared.db.migrations import run_migrations, service_metadata

run_migrations(service_metadata("cq_notifications"))
