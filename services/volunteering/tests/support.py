"""Builders of the volunteering tests and their view of the outbox (publishing and polling are
in cq_testing)."""

import uuid
from datetime import date
from typing import Any

import cq_testing
from cq_shared.contracts import Language, NeedType
from cq_shared.contracts.common import CareLevel, Urgency
from cq_shared.contracts.intake import CaseOpened
from cq_shared.db.database import Database
from cq_testing import need, outbox_of


def case_opened(
    site: str,
    *,
    language: Language = Language.DE,
    postal_code: str = "67655",
    needs: list[tuple[NeedType, date | None]],
    share_with_volunteers: bool = True,
) -> CaseOpened:
    """A routine case (Pflegegrad 2) with `needs` (kind, start)."""
    return cq_testing.case_opened(
        site,
        *(need(kind, start) for kind, start in needs),
        urgency=Urgency.ROUTINE,
        language=language,
        postal_code=postal_code,
        care_level=CareLevel.PG2,
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
