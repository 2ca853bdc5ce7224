"""The hand-written parts of docs/public-contract.md; `public_page` adds the generated topic
and field tables between them. Kept here, not in the Markdown file, so that regenerating the
page never loses them. Only claims the platform makes good today belong here."""

from cq_shared.contracts.public import SMALL_COUNT_THRESHOLD
from cq_shared.events.access import BRANCH, BRANCH_GROUP_PREFIX, OPERATOR
from cq_shared.events.envelope import SPEC_VERSION
from cq_shared.events.topics import PUBLIC_PREFIX

HEADER = f"""\
# The public event contract

<!-- Generated from the event catalogue by `uv run --frozen python -m
     cq_shared.contracts.documents`: edit libs/shared/src/cq_shared/contracts/public_page*.py,
     not this file. -->

Other DRK branches and the evaluation team may read facts about the sites of a CareQuartier
installation: free places and daily counts of needs. They are Kafka events on the topics
named `{PUBLIC_PREFIX}*` and, for those who prefer HTTP, webhooks. This page is the
human-readable contract; the machine-readable one is [`asyncapi.json`](asyncapi.json)
(AsyncAPI 3, every topic, also served by each service at `GET /asyncapi.json`), with one JSON
Schema per event type in [`libs/shared/schemas/events/`](../libs/shared/schemas/events/).
"""

WHO_MAY_READ = f"""\
## Who may read

The broker authenticates every client with SASL/SCRAM-SHA-512. Other branches read as the
principal `{BRANCH}`, which the broker's ACLs allow to read the `{PUBLIC_PREFIX}*` topics and
nothing else, in consumer groups whose names start with `{BRANCH_GROUP_PREFIX}`. Each service
has a principal of its own, and `{OPERATOR}` runs the platform. On the development broker
`make run` prints the credentials; they are for development only.
"""

WHAT_IS_NEVER_PUBLISHED = f"""\
## What public events never carry

Public events are facts about sites, never about a person: no name, contact point, birth
date, postal code or case id. A count from 1 to {SMALL_COUNT_THRESHOLD - 1} could single a
person out and is withheld (threshold {SMALL_COUNT_THRESHOLD}, `SMALL_COUNT_THRESHOLD` in
`cq_shared.contracts.public`): its `count` is `null` and `withheld` is `true`. Zero is
published: that nobody asked singles out nobody.
"""

ENVELOPE = f"""\
## The envelope: CloudEvents {SPEC_VERSION} in Kafka binary mode

Each record's value is the event's JSON payload (below); its attributes are headers:

| header | value |
|---|---|
| `ce_specversion` | `{SPEC_VERSION}` |
| `ce_id` | a UUID; `ce_source` + `ce_id` identify an event: deduplicate by them |
| `ce_source` | `/sites/<site>/<service>`, the producing service at a site |
| `ce_type` | the event type, e.g. `de.drk.carequartier.public.needs.daily.v1` |
| `ce_subject` | the record's key (each topic below says what it is) |
| `ce_time` | when it happened, RFC 3339 in UTC |
| `ce_site` | the site (a CloudEvents extension attribute) |
| `content-type` | `application/json` |

A `traceparent` header (W3C Trace Context) may ride along. Within a major version (`.v1`) a
type only gains optional fields, so ignore fields you do not know; a change that would break a
reader gets a new type (`.v2`). The test suite rejects a breaking change to a released schema.
"""

TOPICS_INTRO = """\
## Topics and event types
"""

READING_EXAMPLE = f"""\
## Reading the events with Python

With [aiokafka](https://aiokafka.readthedocs.io/) and the official CloudEvents SDK
([`cloudevents`](https://pypi.org/project/cloudevents/) 2.x, whose Kafka binding is
`cloudevents.core.bindings.kafka`; 1.x called it `cloudevents.kafka.from_binary`):

```python
import asyncio

from aiokafka import AIOKafkaConsumer
from cloudevents.core.bindings.kafka import KafkaMessage, from_binary_event


async def main() -> None:
    consumer = AIOKafkaConsumer(
        "public.availability.v1",
        "public.needs-daily.v1",
        bootstrap_servers="127.0.0.1:9092",
        security_protocol="SASL_PLAINTEXT",
        sasl_mechanism="SCRAM-SHA-512",
        sasl_plain_username="{BRANCH}",
        sasl_plain_password="the password `make run` printed",
        group_id="{BRANCH_GROUP_PREFIX}evaluation",
        auto_offset_reset="earliest",
    )
    await consumer.start()
    try:
        async for record in consumer:
            event = from_binary_event(
                KafkaMessage(headers=dict(record.headers), key=record.key, value=record.value)
            )
            print(event.get_type(), event.get_subject(), event.get_data())
    finally:
        await consumer.stop()


asyncio.run(main())
```

With `auto_offset_reset="earliest"` a new consumer group starts at the oldest record kept; on
the compacted availability topic that is each day's latest figure.
"""

WEBHOOKS = """\
## Webhooks, and how to verify one

Instead of reading Kafka, a branch can have events delivered over HTTP: the notifications
service delivers webhooks per the [Standard Webhooks](https://www.standardwebhooks.com/)
specification.

- **Subscribe**: `POST /v1/webhooks/subscriptions` on notifications with
  `{"url": ..., "types": [...], "description": ...}`, as `platform_admin` or `site_admin`. The
  answer contains the subscription's signing secret (`whsec_...`) **once**: store it.
- **Delivery**: each event is an HTTP `POST` to your `url` whose body is the event as a
  CloudEvent in JSON structured mode (`content-type: application/cloudevents+json`), with the
  attributes `specversion`, `id`, `source`, `type`, `subject`, `time`, `site`,
  `datacontenttype` and the payload in `data`, and the headers `webhook-id`,
  `webhook-timestamp` and `webhook-signature`.
- **Verify** every delivery before you trust it, with the
  [`standardwebhooks`](https://pypi.org/project/standardwebhooks/) package, on the raw body as
  received:

  ```python
  from standardwebhooks.webhooks import Webhook

  event = Webhook(secret).verify(body, headers)  # secret: the "whsec_..." from subscribing
  ```

- **Answer** with a 2xx quickly (do the work afterwards). A delivery that fails is retried with
  exponential backoff over about three days. Answer `410 Gone` to unsubscribe.
- **Deduplicate** by `webhook-id`: delivery is at least once, and a retry or a replay
  of a delivery keeps its `webhook-id`. A replay is for a delivery you did not process; one
  you processed already may be dropped.
"""
