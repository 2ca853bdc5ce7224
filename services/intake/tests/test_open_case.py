"""POST /v1/requests: the case, its rows, its audit trail, its key and its three events."""

import json
import uuid

from fastapi import FastAPI

from cq_shared.crypto import open_sealed
from cq_testing import eventually

from .support import counts, emergency, rows

SITE = "kaiserslautern"
# A one-off need's optional fields, written as null.
NOT_A_COURSE_OR_SERIES = dict.fromkeys(("course_id", "until", "weekdays", "rrule"))


async def unsealed_recipients(app: FastAPI, registered: dict) -> list[dict]:
    """A sealed registration opened with the case's key, as notifications opens it."""
    case_id = uuid.UUID(registered["case_id"])
    [(key,)] = await rows(app, "SELECT key FROM case_keys WHERE case_id = :id", id=case_id)
    return list(json.loads(open_sealed(key, case_id, registered["sealed_recipients"])))


async def test_a_request_opens_a_case_with_its_events(serve, bearer, app: FastAPI) -> None:
    coordinator = bearer("coordinator", SITE)
    async with serve(app) as client:
        created = await client.post("/v1/requests", json=emergency(), headers=coordinator)
        assert created.status_code == 201, created.text
        case_id = created.json()["case_id"]
        assert created.json() == {"case_id": case_id, "status": "open"}
        assert created.headers["location"] == f"/v1/cases/{case_id}"

        stored = await counts(app)
        assert stored == {
            "cases": 1,
            "clients": 1,
            "contacts": 2,
            "needs": 2,
            "audit_events": 1,
            "outbox": 3,
            "inbox": 0,
        }
        needs = await rows(app, "SELECT id, type, state FROM needs ORDER BY position")
        assert [(n.type, n.state) for n in needs] == [
            ("short_term_care", "requested"),
            ("volunteer_visit", "requested"),
        ]

        outbox = await rows(
            app, "SELECT event_type, topic, subject, site, data FROM outbox ORDER BY id"
        )
        assert [row.event_type for row in outbox] == [
            "de.drk.carequartier.intake.case-key.issued.v1",
            "de.drk.carequartier.intake.recipients.registered.v2",
            "de.drk.carequartier.intake.case.opened.v2",
        ]
        assert [(row.topic, row.subject, row.site) for row in outbox] == [
            ("intake.case-keys", case_id, SITE),
            ("intake.cases", case_id, SITE),
            ("intake.cases", case_id, SITE),
        ]
        registered, opened = outbox[1].data, outbox[2].data
        # No event carries a name, an address or a postal code readable without the key.
        for text in ("Becker", "sabine.becker@example.org", "67655", "Nachbar"):
            assert all(text not in json.dumps(row.data) for row in outbox)
        # The client has neither email nor phone; the neighbour asked not to be notified.
        [daughter] = await unsealed_recipients(app, registered)
        assert daughter["role"] == "relative"
        assert daughter["email"] == "sabine.becker@example.org"
        assert opened == {
            "case_id": case_id,
            "site": SITE,
            "urgency": "emergency",
            "channel": "phone",
            "language": "de",
            "postal_area": "676",
            "care_level": "3",
            "needs": [
                {
                    "need_id": str(needs[0].id),
                    "type": "short_term_care",
                    "start": "2025-06-03",
                    "days": 14,
                    **NOT_A_COURSE_OR_SERIES,
                },
                {
                    "need_id": str(needs[1].id),
                    "type": "volunteer_visit",
                    "start": "2025-06-03",
                    "days": 14,
                    **NOT_A_COURSE_OR_SERIES,
                },
            ],
            "share_with_volunteers": True,
        }
        # The need's note names a diagnosis: it stays in intake.
        assert all("Demenz" not in json.dumps(row.data) for row in outbox)

        shown = await client.get(f"/v1/cases/{case_id}", headers=coordinator)
        assert shown.status_code == 200, shown.text
        case = shown.json()
        assert (case["status"], case["urgency"], case["channel"], case["site"]) == (
            "open",
            "emergency",
            "phone",
            SITE,
        )
        assert case["created_at"] == "2025-06-02T08:00:00Z"
        assert case["client"] == {
            "given_name": "Hildegard",
            "family_name": "Becker",
            "language": "de",
            "care_level": "3",
        }
        assert [(n["type"], n["state"], n["details"]) for n in case["needs"]] == [
            ("short_term_care", "requested", {}),
            ("volunteer_visit", "requested", {}),
        ]
        assert case["needs"][0]["note"] == "Demenz, nachts unruhig"

        trail = await rows(app, "SELECT actor, action, case_id FROM audit_events ORDER BY id")
        who = "dev-coordinator-kaiserslautern"
        assert [(a.actor, a.action, str(a.case_id)) for a in trail] == [
            (who, "create", case_id),
            (who, "read", case_id),
        ]

        # The relay publishes both (proof the migration's outbox is the one it expects).
        async def published() -> bool:
            return not await rows(app, "SELECT 1 FROM outbox WHERE published_at IS NULL")

        await eventually(published, "the relay to publish the case's events")


async def test_consent_decides_who_is_registered(serve, bearer, app: FastAPI) -> None:
    body = emergency(
        contacts=[
            {
                "relation": "legal_representative",
                "given_name": "Jana",
                "family_name": "Vormund",
                "phone": "+49 631 987654",
                "language": "de",
                "notify": True,
            }
        ],
        consent={"data_processing": True, "notify_contacts": True, "share_with_volunteers": False},
    )
    body["client"] = {**body["client"], "email": "h.becker@example.org", "language": "tr"}
    without_consent = {
        **body,
        "consent": {**body["consent"], "notify_contacts": False},
    }
    headers = bearer("care_staff", "kaiserslautern")
    async with serve(app) as client:
        for request in (body, without_consent):
            created = await client.post("/v1/requests", json=request, headers=headers)
            assert created.status_code == 201, created.text
        events = await rows(
            app,
            "SELECT data FROM outbox WHERE event_type LIKE '%recipients.registered%' ORDER BY id",
        )
        opened = await rows(
            app, "SELECT data FROM outbox WHERE event_type LIKE '%case.opened%' ORDER BY id"
        )

        with_consent, no_consent = [await unsealed_recipients(app, row.data) for row in events]
    assert [(r["role"], r["language"]) for r in with_consent] == [
        ("client", "tr"),
        ("legal_representative", "de"),
    ]
    assert with_consent[1]["phone"] == "+49 631 987654"
    assert [r["role"] for r in no_consent] == ["client"]
    assert opened[0].data["share_with_volunteers"] is False
    assert uuid.UUID(with_consent[0]["recipient_id"])
