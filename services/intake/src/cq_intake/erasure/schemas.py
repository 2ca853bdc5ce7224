"""The erasure API's bodies."""

import uuid
from datetime import datetime
from enum import StrEnum

from pydantic import BaseModel


class ServiceErasureState(StrEnum):
    ERASED = "erased"
    PENDING = "pending"  # asked, no receipt yet (the service may be down: it catches up)
    NOT_RUNNING = "not_running"  # the site does not run this service: nothing to erase


class ServiceErasure(BaseModel):
    status: ServiceErasureState
    erased_at: datetime | None = None


class ErasureStatus(BaseModel):
    case_id: uuid.UUID
    requested_at: datetime
    services: dict[str, ServiceErasure]
    complete: bool
