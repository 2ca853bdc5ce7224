"""Alembic environment: the shared runner on this service's tables (plus outbox and inbox)."""

import cq_scheduling.bookings.models
import cq_scheduling.courses.models
import cq_scheduling.sites.models
import cq_scheduling.staffing.models
import cq_scheduling.waitlist.models  # noqa: F401 - registers the tables on the metadata
from cq_shared.db.migrations import run_migrations, service_metadata

run_migrations(service_metadata("cq_scheduling"))
