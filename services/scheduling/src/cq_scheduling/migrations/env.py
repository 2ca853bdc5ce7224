"""Alembic environment: the shared runner on this service's tables (plus outbox and inbox)."""

from sqlmodel import SQLModel

import cq_scheduling.bookings.models
import cq_scheduling.sites.models  # noqa: F401 - registers the tables on the metadata
from cq_shared.db.migrations import run_migrations

run_migrations(SQLModel.metadata)
