"""A service's receipt for an erasure: that it erased or anonymised all it held of the person."""

import uuid
from datetime import datetime

from sqlmodel import Field

from cq_intake.tables import IntakeTable
from cq_shared.db.columns import utc_datetime_column


class ErasureReceipt(IntakeTable, table=True):
    __tablename__ = "erasure_receipts"

    case_id: uuid.UUID = Field(primary_key=True)
    service: str = Field(primary_key=True)
    erased_at: datetime = Field(sa_column=utc_datetime_column())
