"""Every table of intake's database, for Alembic: intake's own plus the shared outbox,
inbox, timers and audit trail, copied into intake's MetaData (see tables.IntakeTable for why
it is not the global one).
"""

from sqlalchemy import MetaData

from cq_intake.cases.models import Case, CaseKey, Client, Contact, Need
from cq_intake.erasure.models import ErasureReceipt
from cq_intake.tables import IntakeTable
from cq_shared.audit import AuditEvent
from cq_shared.db.tables import table_of
from cq_shared.messaging.tables import InboxEntry, OutboxMessage
from cq_shared.timers.table import TimerRow

__all__ = [
    "AuditEvent",
    "Case",
    "CaseKey",
    "Client",
    "Contact",
    "ErasureReceipt",
    "Need",
    "metadata",
]

metadata: MetaData = IntakeTable.metadata
table_of(OutboxMessage).to_metadata(metadata)
table_of(InboxEntry).to_metadata(metadata)
table_of(TimerRow).to_metadata(metadata)
table_of(AuditEvent).to_metadata(metadata)
