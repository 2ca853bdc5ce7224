"""The consent API's bodies."""

import uuid

from pydantic import BaseModel, ConfigDict

from cq_shared.contracts.common import ConsentPurpose


class ConsentChange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    purpose: ConsentPurpose
    granted: bool


class ConsentView(BaseModel):
    case_id: uuid.UUID
    data_processing: bool
    notify_contacts: bool
    share_with_volunteers: bool
    erased: bool  # withdrawing data_processing erased the person (see /erasure)
