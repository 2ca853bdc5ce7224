"""Builders of the volunteering tests and their view of the outbox (publishing and polling are
in cq_testing)."""

import uuid
from datetime import date
from typing import Any

from cq_shared.contracts import Language, NeedType
from cq_shared.contracts.common import CareLevel, Urgency
from cq_shared.contracts.intake import CaseOpened, NeedRequested
from cq_shared.db.database import Database
from cq_testing import outbox_of


def case_opened(
    site: str,
    *,
    language: Language = Language.DE,
    postal_code: str = "67655",
    needs: list[tuple[NeedType, date | None]],
    share_with_volunteers: bool = True,
) -> CaseOpened:
    return CaseOpened(
        case_id=uuid.uuid4(),
        site=site,
        urgency=Urgency.ROUTINE,
        channel="phone",
        language=language,
        postal_code=postal_code,
        care_level=CareLevel.PG2,
        needs=[NeedRequested(need_id=uuid.uuid4(), type=t, start=start) for t, start in needs],
        share_with_volunteers=share_with_volunteers,
    )


async def outbox(database: Database, case_id: uuid.UUID) -> list[tuple[str, dict[str, Any]]]:
    """(event type suffix, data) of this case's events, in writing order."""
    return [
        (written.event_type.split(".volunteering.")[-1], written.data)
        for written in await outbox_of(database, case_id)
    ]


def volunteer_body(**overrides: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "site": "muenster",
        "given_name": "Hannelore",
        "family_name": "Kemper",
        "email": f"h.kemper.{uuid.uuid4().hex[:6]}@example.org",
        "phone": "+49 251 5550123",
        "languages": ["de", "en"],
        "skills": ["volunteer_visit"],
        "postal_code": "48143",
        "weekdays": ["mon", "thu"],
        "max_load": 2,
        "certificate_of_conduct_expires_on": "2030-06-30",
    }
    body.update(overrides)
    return body
