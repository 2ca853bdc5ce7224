"""Issue 11's audit trail in notifications: listing a case's deliveries (what was written to
whom about the case) leaves records the site's data protection officer reads at
GET /v1/audit (decision 0013). Deliveries are written by the consumers, not by a person:
only people's reads are on the trail."""

import uuid

from cq_notifications.main import build_app
from cq_shared.contracts.common import Language, RecipientRole
from cq_testing import Publisher, eventually
from cq_testing.audit import audit_trail, summary

from . import samples


async def test_a_cases_deliveries_listed_are_audited_for_the_sites_dpo_only(
    serve, bearer, publisher: Publisher
) -> None:
    case_id, tag = uuid.uuid4(), samples.tag()
    daughter = samples.recipient(
        RecipientRole.RELATIVE, "Sabine", "Becker", Language.DE, f"sabine-{tag}@example.org"
    )
    coordinator = bearer("coordinator", samples.SITE)
    dpo = bearer("data_protection_officer", samples.SITE)
    async with serve(build_app()) as client:
        await publisher.send(samples.registered(case_id, daughter))
        await publisher.send(samples.case_opened(case_id))

        async def deliveries() -> list[dict]:
            listed = await client.get(
                "/v1/deliveries", params={"case_id": str(case_id)}, headers=coordinator
            )
            assert listed.status_code == 200, listed.text
            return list(listed.json())

        [delivery] = await eventually(deliveries, "the delivery", until=lambda d: len(d) == 1)

        trail = await audit_trail(client, dpo, case_id=str(case_id))
        assert summary(trail) == [
            ("dev-coordinator-" + samples.SITE, "list", "delivery", samples.SITE, "contact_history")
        ]
        assert (trail[0]["case_id"], trail[0]["roles"]) == (str(case_id), ["coordinator"])
        # Nothing of the mail: neither the addressee nor what was written.
        for secret in ("Sabine", "Becker", daughter.email, delivery["template"]):
            assert secret not in str(trail)

        assert (await client.get("/v1/audit", headers=coordinator)).status_code == 403
        elsewhere = bearer("data_protection_officer", "muenster")
        assert await audit_trail(client, elsewhere, case_id=str(case_id)) == []
        refused = await client.get(f"/v1/audit?site={samples.SITE}", headers=elsewhere)
        assert refused.status_code == 403
