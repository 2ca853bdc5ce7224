"""The platform's event contract: one payload model per event type, registered in the catalogue.

Importing this package registers every type. Topic layout (see docs/decisions/0002): one topic
per producing service and aggregate, `<service>.<aggregate>s`, keyed by the aggregate id; the
event type travels in `ce_type`. Internal events carry ids and the few fields a consumer needs,
never free text about health.
"""

from cq_shared.contracts import (
    intake,
    notifications,
    public,
    scheduling,
    staffing,
    volunteering,
)
from cq_shared.contracts.common import CareLevel, Language, NeedType

__all__ = [
    "CareLevel",
    "Language",
    "NeedType",
    "intake",
    "notifications",
    "public",
    "scheduling",
    "staffing",
    "volunteering",
]
