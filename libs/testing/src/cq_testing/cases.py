"""Intake's CaseOpened event, as the other services' tests and the benchmarks receive it: one
builder, parametrised."""

import uuid
from datetime import date

from cq_shared.contracts.common import CareLevel, Language, NeedType, Urgency
from cq_shared.contracts.intake import CaseOpened, NeedRequested


def need(kind: NeedType, start: date | None = None, days: int | None = None) -> NeedRequested:
    return NeedRequested(need_id=uuid.uuid4(), type=kind, start=start, days=days)


def case_opened(
    site: str,
    *needs: NeedRequested,
    case_id: uuid.UUID | None = None,
    urgency: Urgency = Urgency.EMERGENCY,
    language: Language = Language.DE,
    postal_code: str = "67655",
    care_level: CareLevel = CareLevel.PG3,
    share_with_volunteers: bool = True,
    event: type[CaseOpened] = CaseOpened,
) -> CaseOpened:
    """A case of `site` opened by phone with `needs` (a new case id unless one is given);
    `event` is CaseOpened or a subclass of it on a topic of its own."""
    return event(
        case_id=case_id or uuid.uuid4(),
        site=site,
        urgency=urgency,
        channel="phone",
        language=language,
        postal_code=postal_code,
        care_level=care_level,
        needs=list(needs),
        share_with_volunteers=share_with_volunteers,
    )
