"""Sample staffing events of scheduling (topic `scheduling.staffing`, journey 4)."""

import uuid
from datetime import UTC, datetime
from typing import Any, TypeVar

from cq_shared.contracts.common import Language
from cq_shared.contracts.staffing import GapEvent, StaffMemberRegistered

SITE = "kaiserslautern"
# Tuesday 3 March 2026, 06:00-13:30 in Kaiserslautern (CET: UTC+1).
EARLY = (datetime(2026, 3, 3, 5, 0, tzinfo=UTC), datetime(2026, 3, 3, 12, 30, tzinfo=UTC))

G = TypeVar("G", bound=GapEvent)


def member(
    given_name: str,
    family_name: str,
    email: str | None,
    *,
    language: Language = Language.DE,
    unit: str = "ambulant",
    unit_lead: bool = False,
) -> StaffMemberRegistered:
    return StaffMemberRegistered(
        site=SITE,
        staff_id=uuid.uuid4(),
        given_name=given_name,
        family_name=family_name,
        email=email,
        language=language,
        unit=unit,
        unit_lead=unit_lead,
    )


def gap_event(model: type[G], gap_id: uuid.UUID, **fields: Any) -> G:
    return model(
        site=SITE,
        gap_id=gap_id,
        shift_id=uuid.uuid5(gap_id, "shift"),
        unit="ambulant",
        starts_at=EARLY[0],
        ends_at=EARLY[1],
        required_qualification="Pflegefachkraft",
        **fields,
    )
