"""CareQuartier's test support, one place for every suite: a library (imported, never run),
loaded into pytest as a plugin (see plugin.py). It imports the kernel only; the
infrastructure fixtures come from the root conftest.py, which may use the devstack."""

from cq_testing.database import Written, count, outbox_of, rows, scalar
from cq_testing.events import Publisher, envelope_of, header, produce_raw, publish
from cq_testing.http import get_json, metric
from cq_testing.polling import eventually
from cq_testing.topics import read_all, records_for_key

__all__ = [
    "Publisher",
    "Written",
    "count",
    "envelope_of",
    "eventually",
    "get_json",
    "header",
    "metric",
    "outbox_of",
    "produce_raw",
    "publish",
    "read_all",
    "records_for_key",
    "rows",
    "scalar",
]
