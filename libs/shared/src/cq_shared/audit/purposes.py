"""Why health data is touched: one fixed purpose per endpoint (decision 0013).

A purpose is a short machine word stored with each audit row. Endpoints name theirs in code
instead of asking clients for a header, so no existing client has to change; a new kind of
use gets a new word here.
"""

from enum import StrEnum


class Purpose(StrEnum):
    CASE_WORK = "case_work"  # the contact point takes, shows or lists cases (intake)
    CARE_PLANNING = "care_planning"  # bookings of resources, rooms and slots (scheduling)
    VOLUNTEER_MATCHING = "volunteer_matching"  # proposals and answers (volunteering)
    CONTACT_HISTORY = "contact_history"  # what was sent to whom (notifications)
    ERASURE = "erasure"  # consent withdrawn: the case's data erased
    DATA_PROTECTION_REVIEW = "data_protection_review"  # the audit trail read by a DPO
