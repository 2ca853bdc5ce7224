"""Identities act only for themselves (issue 11, decision 0005 "Person-scoped claims"): a
volunteer's token names the volunteer, who sees and answers only their own invitations."""

import uuid
from typing import Any

from cq_devstack.token import mint_token
from cq_shared.contracts import NeedType
from cq_testing import eventually, publish

from .conftest import Running
from .support import case_opened, outbox

SITE = "muenster"


async def matches(running: Running, headers: dict[str, str], **params: str) -> list[dict[str, Any]]:
    response = await running.client.get("/v1/matches", params=params, headers=headers)
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()
    return found


async def test_a_volunteer_sees_and_answers_only_their_own_invitations(
    volunteering: Running, infrastructure, bearer
) -> None:
    client = volunteering.client
    database = volunteering.app.state.context.database
    coordinator = bearer("coordinator", SITE)
    case = case_opened(SITE, postal_code="48147", needs=[(NeedType.VOLUNTEER_VISIT, None)])
    await publish(infrastructure.kafka.bootstrap_servers, case)
    [first] = await eventually(
        lambda: matches(volunteering, coordinator, case_id=str(case.case_id)),
        until=lambda m: len(m) == 1,
    )
    url = f"/v1/matches/{first['match_id']}"
    asked = bearer("volunteer", SITE, volunteer_id=first["volunteer_id"])
    volunteers = await client.get("/v1/volunteers", params={"site": SITE}, headers=coordinator)
    other_id = next(v["id"] for v in volunteers.json() if v["id"] != first["volunteer_id"])
    other = bearer("volunteer", SITE, volunteer_id=other_id)

    async def own(headers: dict[str, str], volunteer_id: str, **params: str) -> list[str]:
        """The volunteer's list, which must hold their matches only; of them, this case's."""
        listed = await matches(volunteering, headers, **params)
        assert {m["volunteer_id"] for m in listed} <= {volunteer_id}
        return [m["match_id"] for m in listed if m["case_id"] == str(case.case_id)]

    # Another volunteer of the same site: refused, and nothing is written or published.
    for answer in ("accept", "decline"):
        refused = await client.post(f"{url}/{answer}", headers=other)
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"] == "application/problem+json"
        assert refused.json()["detail"] == "Volunteers answer only their own invitations."
    # Reading someone else's invitation: as if it did not exist.
    hidden = await client.get(url, headers=other)
    assert hidden.status_code == 404
    assert hidden.headers["content-type"] == "application/problem+json"
    assert await own(other, other_id) == []
    assert (await client.get(url, headers=coordinator)).json()["status"] == "proposed"
    assert [kind for kind, _ in await outbox(database, case.case_id)] == ["match.proposed.v1"]

    # The volunteer asked sees it and declines it: the next volunteer is asked.
    assert (await client.get(url, headers=asked)).json()["status"] == "proposed"
    assert await own(asked, first["volunteer_id"]) == [first["match_id"]]
    declined = await client.post(f"{url}/decline", headers=asked)
    assert declined.status_code == 200, declined.text
    assert declined.json()["status"] == "declined"
    first_done, second = await matches(volunteering, coordinator, case_id=str(case.case_id))
    assert first_done["match_id"] == first["match_id"]
    assert second["volunteer_id"] != first["volunteer_id"]

    # Each volunteer's list holds their own matches only, whatever the filters ask for.
    asked_next = bearer("volunteer", SITE, volunteer_id=second["volunteer_id"])
    assert await own(asked_next, second["volunteer_id"]) == [second["match_id"]]
    assert await own(asked, first["volunteer_id"]) == [first["match_id"]]
    filtered = await own(asked, first["volunteer_id"], case_id=str(case.case_id), site=SITE)
    assert filtered == [first["match_id"]]
    # The first volunteer cannot take back the declined need by answering the next one's.
    taken = await client.post(f"/v1/matches/{second['match_id']}/accept", headers=asked)
    assert taken.status_code == 403
    accepted = await client.post(f"/v1/matches/{second['match_id']}/accept", headers=asked_next)
    assert accepted.status_code == 200, accepted.text
    assert accepted.json()["volunteer_id"] == second["volunteer_id"]
    events = await outbox(database, case.case_id)
    assert [kind for kind, _ in events] == [
        "match.proposed.v1",
        "match.declined.v1",
        "match.proposed.v1",
        "match.accepted.v1",
    ]
    assert events[1][1]["volunteer_id"] == first["volunteer_id"]
    assert events[3][1]["volunteer_id"] == second["volunteer_id"]


async def test_a_volunteer_token_must_name_a_volunteer_of_the_site(
    volunteering: Running, infrastructure, bearer
) -> None:
    client = volunteering.client
    coordinator = bearer("coordinator", SITE)
    case = case_opened(SITE, postal_code="48149", needs=[(NeedType.VOLUNTEER_VISIT, None)])
    await publish(infrastructure.kafka.bootstrap_servers, case)
    [match] = await eventually(
        lambda: matches(volunteering, coordinator, case_id=str(case.case_id)),
        until=lambda m: len(m) == 1,
    )
    url = f"/v1/matches/{match['match_id']}"

    # A volunteer token that names nobody may see and answer nothing.
    nobody = bearer("volunteer", SITE)
    assert (await client.get("/v1/matches", headers=nobody)).status_code == 403
    assert (await client.get(url, headers=nobody)).status_code == 403
    for answer in ("accept", "decline"):
        refused = await client.post(f"{url}/{answer}", headers=nobody)
        assert refused.status_code == 403, refused.text
        assert refused.json()["detail"] == "This token does not name a volunteer."
    # The right volunteer, but a token for another site.
    elsewhere = bearer("volunteer", "zwenkau", volunteer_id=match["volunteer_id"])
    assert (await client.post(f"{url}/accept", headers=elsewhere)).status_code == 403
    # A volunteer_id that is no UUID: the token is not valid at all.
    for malformed in ("volunteer-7", match["volunteer_id"].replace("-", ""), ""):
        token = mint_token("volunteer", SITE, volunteer_id=malformed)
        headers = {"Authorization": f"Bearer {token}"}
        for response in (
            await client.get("/v1/matches", headers=headers),
            await client.post(f"{url}/accept", headers=headers),
        ):
            assert response.status_code == 401, (malformed, response.text)
            assert response.headers["www-authenticate"] == 'Bearer error="invalid_token"'
    # An unknown match is still a 404 to a volunteer who names themselves.
    stranger = bearer("volunteer", SITE, volunteer_id=uuid.uuid4())
    assert (
        await client.post(f"/v1/matches/{uuid.uuid4()}/accept", headers=stranger)
    ).status_code == 404

    assert (await client.get(url, headers=coordinator)).json()["status"] == "proposed"
    events = await outbox(volunteering.app.state.context.database, case.case_id)
    assert [kind for kind, _ in events] == ["match.proposed.v1"]

    # A coordinator still answers on the volunteer's behalf (the answer came by phone).
    on_behalf = await client.post(f"{url}/accept", headers=coordinator)
    assert on_behalf.status_code == 200, on_behalf.text
    assert on_behalf.json()["status"] == "accepted"
