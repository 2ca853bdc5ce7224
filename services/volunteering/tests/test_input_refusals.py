"""Input a probe from outside turned into 500s, now refused with a 422 naming the field, and
nothing written: control characters, escape sequences, right-to-left overrides and
zero-width characters in names; for every text field of a volunteer, a whole set of them."""

import json

from sqlalchemy import text

from .conftest import Running
from .support import volunteer_body

NASTY = [
    "Hilde\x00",  # NUL: PostgreSQL refuses it in text (was a 500)
    "\x1b[31mHilde\x1b[0m",  # an ESC sequence (was accepted)
    "Hilde\u202egnurT",  # a right-to-left override (was accepted)
    "Hil\u2066de\u2069",  # a left-to-right isolate
    "Hil\u200bde",  # a zero-width space (was accepted)
    "Hil\u200dde",  # a zero-width joiner
    "\ufeffHilde",  # a byte order mark
    "Hil\x85de",  # C1 "next line"
    "Hilde\u2028Becker",  # a line separator
    "Hil\ud800de",  # a lone surrogate: not UTF-8 at all
]
TEXT_FIELDS = ["given_name", "family_name", "email", "phone"]


async def _volunteers(running: Running) -> int:
    async with running.app.state.context.database.unit_of_work() as session:
        return int((await session.execute(text("SELECT count(*) FROM volunteers"))).scalar_one())


async def test_names_with_control_bidi_or_zero_width_characters_are_refused(
    volunteering: Running, bearer
) -> None:
    coordinator = bearer("coordinator", "muenster")
    before = await _volunteers(volunteering)
    for field in TEXT_FIELDS:
        for nasty in NASTY:
            value = nasty if field != "email" else nasty + "@example.org"
            body = volunteer_body(**{field: value})
            # As JSON escapes (\\ud800), the way a client sends what it cannot encode.
            answer = await volunteering.client.post(
                "/v1/volunteers",
                content=json.dumps(body).encode(),
                headers={**coordinator, "Content-Type": "application/json"},
            )
            assert answer.status_code == 422, (field, nasty, answer.text)
            assert answer.headers["content-type"] == "application/problem+json"
            assert ["body", field] in [error["loc"] for error in answer.json()["errors"]]
    assert await _volunteers(volunteering) == before


async def test_an_ordinary_name_with_accents_is_taken(volunteering: Running, bearer) -> None:
    coordinator = bearer("coordinator", "muenster")
    body = volunteer_body(given_name="  Ömer ", family_name="Yıldız")
    answer = await volunteering.client.post("/v1/volunteers", json=body, headers=coordinator)
    assert answer.status_code == 201, answer.text
    assert (answer.json()["given_name"], answer.json()["family_name"]) == ("Ömer", "Yıldız")


async def test_site_query_with_a_nul_is_a_422(volunteering: Running, bearer) -> None:
    everywhere = bearer("coordinator", "*")
    for path in ("/v1/volunteers", "/v1/matches"):
        answer = await volunteering.client.get(path, params={"site": "a\x00"}, headers=everywhere)
        assert answer.status_code == 422, (path, answer.text)
