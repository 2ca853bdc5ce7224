"""CareQuartier's test support, one place for every suite: a library (imported, never run),
loaded into pytest as a plugin (see plugin.py). It imports the kernel only; the
infrastructure fixtures come from the root conftest.py, which may use the devstack."""

from cq_testing.cases import case_opened, need
from cq_testing.database import Written, count, outbox_of, rows, scalar
from cq_testing.events import Publisher, envelope_of, header, produce_raw, publish
from cq_testing.http import get_json, metric
from cq_testing.polling import eventually
from cq_testing.requests import emergency_request, intake_request
from cq_testing.topics import read_all, records_for_key

__all__ = [
    "Publisher",
    "Written",
    "case_opened",
    "count",
    "emergency_request",
    "envelope_of",
    "eventually",
    "get_json",
    "header",
    "intake_request",
    "metric",
    "need",
    "outbox_of",
    "produce_raw",
    "publish",
    "read_all",
    "records_for_key",
    "rows",
    "scalar",
]
