"""What a probe from outside got through intake's edge, now refused with a 422 naming the
field, and nothing written: one person listed twice (they would get every mail twice), and
control, bidirectional and zero-width characters in names and notes."""

import copy
import json
from typing import Any

from fastapi import FastAPI

from .support import TABLES, counts, emergency

NASTY_NAMES = [
    "Hilde\x00",
    "\x1b[31mHilde\x1b[0m",
    "Hilde\u202egnurT",  # right-to-left override
    "Hil\u2067de",  # right-to-left isolate
    "Hil\u200bde",  # zero-width space
    "Hil\u200cde",  # zero-width non-joiner
    "\ufeffHilde",  # byte order mark
    "Hil\u2060de",  # word joiner
    "Hil\x85de",  # C1 next line
    "Hil\ud800de",  # a lone surrogate
]
NASTY_NOTES = ["Demenz\x00", "Demenz \x1b[2J", "Demenz\u202e", "De\u200bmenz", "De\ud800menz"]


def _as_json(body: dict[str, Any]) -> bytes:
    # JSON escapes (\ud800): how a client sends what UTF-8 cannot encode.
    return json.dumps(body).encode()


async def _post(client: Any, body: dict[str, Any], headers: dict[str, str]) -> Any:
    return await client.post(
        "/v1/requests",
        content=_as_json(body),
        headers={**headers, "Content-Type": "application/json"},
    )


async def test_names_and_notes_with_invisible_or_control_characters_are_refused(
    serve, bearer, app: FastAPI
) -> None:
    headers = bearer("coordinator", "kaiserslautern")
    async with serve(app) as client:
        for nasty in NASTY_NAMES:
            for loc in [
                ["body", "client", "given_name"],
                ["body", "client", "family_name"],
                ["body", "contacts", 0, "given_name"],
            ]:
                body = copy.deepcopy(emergency())
                target: Any = body
                for part in loc[1:-1]:
                    target = target[part]
                target[loc[-1]] = nasty
                answer = await _post(client, body, headers)
                assert answer.status_code == 422, (nasty, loc, answer.text)
                assert answer.headers["content-type"] == "application/problem+json"
                assert loc in [e["loc"] for e in answer.json()["errors"]], (nasty, answer.text)
        for nasty in NASTY_NOTES:
            body = copy.deepcopy(emergency())
            body["needs"][0]["note"] = nasty
            answer = await _post(client, body, headers)
            assert answer.status_code == 422, (nasty, answer.text)
            assert ["body", "needs", 0, "note"] in [e["loc"] for e in answer.json()["errors"]]
        assert await counts(app) == dict.fromkeys(TABLES, 0)

        # A note keeps its line breaks and tabs.
        body = copy.deepcopy(emergency())
        body["needs"][0]["note"] = "Demenz,\n\tnachts unruhig"
        assert (await _post(client, body, headers)).status_code == 201


async def test_the_same_person_listed_twice_is_refused(serve, bearer, app: FastAPI) -> None:
    headers = bearer("coordinator", "kaiserslautern")
    async with serve(app) as client:
        body = copy.deepcopy(emergency())
        body["contacts"].append({**body["contacts"][0], "relation": "son"})
        body["contacts"][2]["email"] = body["contacts"][0]["email"].upper()
        answer = await _post(client, body, headers)
        assert answer.status_code == 422, answer.text
        errors = answer.json()["errors"]
        assert ["body", "contacts", 2, "email"] in [e["loc"] for e in errors]
        assert {e["type"] for e in errors} == {"duplicate_contact"}

        # The client's own address given again for a contact: they would get it all twice.
        body = copy.deepcopy(emergency())
        body["client"]["email"] = body["contacts"][0]["email"]
        answer = await _post(client, body, headers)
        assert answer.status_code == 422, answer.text
        assert ["body", "contacts", 0, "email"] in [e["loc"] for e in answer.json()["errors"]]
        assert await counts(app) == dict.fromkeys(TABLES, 0)


async def test_list_filters_refuse_malformed_sites(serve, bearer, app: FastAPI) -> None:
    everywhere = bearer("coordinator", "*")
    async with serve(app) as client:
        answer = await client.get("/v1/cases", params={"site": "a\x00"}, headers=everywhere)
        assert answer.status_code == 422, answer.text
