"""From intake's events to mails in the sink: each recipient in their language, exactly once,
visible through the deliveries API to the right people only."""

import uuid

from sqlmodel import select

from cq_notifications.deliveries import repository
from cq_notifications.deliveries.models import Delivery
from cq_notifications.main import build_app
from cq_shared.contracts.common import Language, RecipientRole
from cq_testing import Publisher, eventually, metric, scalar

from . import samples
from .support import mails_arrived, mails_to

ROLE = RecipientRole


async def test_case_opened_is_mailed_once_to_each_recipient_in_their_language(
    serve, bearer, infrastructure, publisher: Publisher
) -> None:
    sink, tag, case_id = infrastructure.smtp, samples.tag(), uuid.uuid4()
    daughter = samples.recipient(
        ROLE.RELATIVE, "Sabine", "Becker", Language.DE, f"sabine-{tag}@example.org"
    )
    mother = samples.recipient(
        ROLE.CLIENT,
        "Hatice",
        "Yılmaz",
        Language.TR,
        f"hatice-{tag}@example.org",
    )
    # Polish has no template yet: German it is, and the delivery must say so.
    son = samples.recipient(
        ROLE.RELATIVE, "Piotr", "Nowak", Language.PL, f"piotr-{tag}@example.org"
    )
    no_email = samples.recipient(ROLE.RELATIVE, "Kurt", "Becker", Language.DE, None)
    addresses = [daughter.email, mother.email, son.email]

    app = build_app()
    async with serve(app) as client:
        await publisher.send(samples.registered(case_id, daughter, mother, son, no_email))
        opened = samples.case_opened(case_id)
        event_id = (await publisher.send(opened)).id

        mails = await eventually(lambda: mails_arrived(sink, *addresses), what="three mails")
        german = mails[daughter.email]
        assert german["Subject"] == "Ihre Anfrage ist bei uns eingegangen"
        assert german["Content-Language"] == "de"
        assert german["From"] == "CareQuartier <no-reply@carequartier.example>"
        text = german.get_content()
        assert "Guten Tag Sabine Becker," in text
        assert "als Notfall" in text
        assert "Pflegegrad" not in text
        assert "short_term_care" not in text
        turkish = mails[mother.email]
        assert turkish["Subject"] == "Talebiniz bize ulaştı"
        assert turkish["Content-Language"] == "tr"
        assert "Sayın Hatice Yılmaz," in turkish.get_content()
        assert mails[son.email]["Subject"] == "Ihre Anfrage ist bei uns eingegangen"

        coordinator = bearer("coordinator", samples.SITE)

        async def all_sent() -> list[dict[str, str]] | None:
            listed = await client.get(
                "/v1/deliveries", params={"case_id": str(case_id)}, headers=coordinator
            )
            assert listed.status_code == 200, listed.text
            rows = listed.json()
            return rows if len(rows) == 3 and all(r["status"] == "sent" for r in rows) else None

        rows = await eventually(all_sent, what="three sent deliveries")
        by_address = {row["recipient_address"]: row for row in rows}
        assert set(by_address) == set(addresses)
        assert by_address[daughter.email]["language"] == "de"
        assert by_address[mother.email]["language"] == "tr"
        assert by_address[son.email]["language"] == "de"
        assert {row["template"] for row in rows} == {"case_opened"}
        assert {row["channel"] for row in rows} == {"email"}
        assert all(row["sent_at"] for row in rows)
        assert (
            german["Message-ID"]
            == f"<{by_address[daughter.email]['delivery_id']}@carequartier.example>"
        )

        # Redelivery of the very same event: the inbox drops it, no second mail. (CaseOpened
        # is handled by the recipients consumer, right after the registration it follows.)
        dedup = 'consumer="notifications.recipients"'
        before = await metric(client, "redeliveries_deduplicated_total", dedup)
        await publisher.send(opened, event_id=event_id)
        await eventually(
            lambda: _grew(client, "redeliveries_deduplicated_total", dedup, before),
            what="the redelivery to be deduplicated",
        )
        for address in addresses:
            assert len(mails_to(sink, address)) == 1
        database = app.state.database
        assert await scalar(database, "SELECT count(*) FROM deliveries") == 3
        sent_events = await scalar(
            database, "SELECT count(*) FROM outbox WHERE event_type LIKE '%delivery.sent.v1'"
        )
        assert sent_events == 3

        # The second guard: even past the inbox, (event, recipient) makes one delivery.
        async with database.unit_of_work() as session:
            existing = (await session.exec(select(Delivery))).first()
            assert existing is not None
            copy = Delivery.model_validate(existing.model_dump() | {"delivery_id": uuid.uuid4()})
            assert await repository.add_pending_many(session, [copy]) == 0
        assert await scalar(database, "SELECT count(*) FROM deliveries") == 3

        # Care staff see that a mail went out, not where to.
        staff = await client.get(
            "/v1/deliveries",
            params={"case_id": str(case_id)},
            headers=bearer("care_staff", samples.SITE),
        )
        assert staff.status_code == 200
        assert [row["recipient_address"] for row in staff.json()] == [None, None, None]


async def test_deliveries_and_templates_need_a_token_a_role_and_the_site(serve, bearer) -> None:
    async with serve(build_app()) as client:
        assert (await client.get("/v1/deliveries")).status_code == 401
        assert (await client.get("/v1/templates")).status_code == 401
        volunteer = bearer("volunteer", samples.SITE)
        assert (await client.get("/v1/deliveries", headers=volunteer)).status_code == 403
        assert (await client.get("/v1/templates", headers=volunteer)).status_code == 403
        elsewhere = bearer("coordinator", "muenster")
        refused = await client.get(
            "/v1/deliveries", params={"site": samples.SITE}, headers=elsewhere
        )
        assert refused.status_code == 403
        assert refused.headers["content-type"] == "application/problem+json"
        own = await client.get("/v1/deliveries", params={"site": "muenster"}, headers=elsewhere)
        assert own.status_code == 200
        assert own.json() == []
        invalid = await client.get("/v1/deliveries", params={"status": "lost"}, headers=elsewhere)
        assert invalid.status_code == 422

        templates = await client.get("/v1/templates", headers=bearer("site_admin", samples.SITE))
        assert templates.status_code == 200
        listed = {entry["template"]: entry for entry in templates.json()}
        assert set(listed) == {
            "case_opened",
            "booking_confirmed",
            "booking_unavailable",
            "booking_cancelled",
            "match_proposed",
            "volunteer_found",
            "course_confirmed",
            "course_waitlisted",
            "course_offered",
            "course_promoted",
            "course_cancelled",
            "course_expired",
            "place_waitlisted",
            "place_offered",
            "place_promoted",
            "place_expired",
            "series_booked",
            "series_promoted",
            "series_cancelled",
            "shift_offered",
            "shift_offer_expired",
            "shift_filled",
            "shift_gap_opened",
            "shift_gap_offered",
            "shift_gap_filled",
            "shift_gap_unfilled",
            "shift_gap_alert",
        }
        for entry in listed.values():
            assert entry["languages"][:1] == ["de"]
            assert {"de", "en", "tr"} <= set(entry["languages"])
            assert entry["fallback_language"] == "de"
        assert listed["volunteer_found"]["event_type"].endswith("match.accepted.v1")


async def _grew(client, name: str, fragment: str, before: float) -> bool:
    return await metric(client, name, fragment) > before
