"""A consumed event as the body of a webhook: a CloudEvent in JSON structured mode.

Internally events travel in binary mode (attributes in Kafka headers, data as the value);
an HTTP receiver gets one self-contained JSON document, `application/cloudevents+json`.
"""

import json
import uuid

from cq_shared.events.envelope import Envelope

CONTENT_TYPE = "application/cloudevents+json"
# Names the webhook copy of an event: the same (source, id) always gives the same row.
_EVENT_NAMESPACE = uuid.UUID("6f1f3c57-3c1e-4d8a-9a61-1d3b1f0e7a21")


def event_key(envelope: Envelope) -> uuid.UUID:
    return uuid.uuid5(_EVENT_NAMESPACE, f"{envelope.source}\n{envelope.id}")


def structured(envelope: Envelope) -> str:
    """The exact text that is signed and sent, the same on every attempt."""
    document = {
        "specversion": "1.0",
        "id": envelope.id,
        "source": envelope.source,
        "type": envelope.type,
        "subject": envelope.subject,
        "time": envelope.time.isoformat().replace("+00:00", "Z"),
        "site": envelope.site,
        "datacontenttype": "application/json",
        "data": envelope.data,
    }
    return json.dumps(document, separators=(",", ":"), ensure_ascii=False, default=str)
