"""The demo volunteers show what the brief promises a person trying `make run`."""

import uuid
from dataclasses import replace
from datetime import date

from cq_shared.contracts import Language, NeedType
from cq_shared.recurrence import Weekday
from cq_volunteering.demo import demo_volunteers
from cq_volunteering.matching.model import Candidate, NeedToFill
from cq_volunteering.matching.scoring import rank, score

TODAY = date(2026, 11, 23)


def candidates() -> list[Candidate]:
    return [
        Candidate(
            volunteer_id=identity,
            site=v.site,
            skills=frozenset(v.skills),
            languages=tuple(v.languages),
            postal_code=v.postal_code,
            weekdays=frozenset(Weekday(day) for day in v.weekdays),
            max_load=v.max_load,
            active_load=0,
            certificate_expires_on=v.certificate_of_conduct_expires_on,
        )
        for identity, v in demo_volunteers(TODAY)
    ]


def test_every_site_has_volunteers_with_stable_ids_and_example_addresses() -> None:
    volunteers = demo_volunteers(TODAY)
    assert {v.site for _, v in volunteers} == {
        "muenster",
        "zwenkau",
        "kaiserslautern",
        "koeln-chorweiler",
    }
    assert all(v.email.endswith("@example.org") for _, v in volunteers)
    assert len({identity for identity, _ in volunteers}) == len(volunteers)
    assert [i for i, _ in demo_volunteers(date(2030, 1, 1))] == [i for i, _ in volunteers]


def test_kaiserslautern_shows_the_certificate_rule() -> None:
    visitors = [
        c
        for c in candidates()
        if c.site == "kaiserslautern" and NeedType.VOLUNTEER_VISIT in c.skills
    ]
    assert len(visitors) >= 3
    assert len({c.postal_code for c in visitors}) == len(visitors)
    assert all(c.postal_code.startswith("676") for c in visitors)
    [expired] = [c for c in visitors if c.certificate_expires_on < TODAY]
    need = NeedToFill(
        need_id=uuid.uuid4(),
        site="kaiserslautern",
        need_type=NeedType.VOLUNTEER_VISIT,
        start=date(2026, 11, 25),
        client_language=Language.DE,
        client_postal_code=expired.postal_code,
    )
    ranked = rank(need, visitors, TODAY)
    assert expired not in [s.candidate for s in ranked]
    # Were the certificate valid, the expired volunteer would come first.
    renewed = replace(expired, certificate_expires_on=date(2028, 1, 1))
    assert score(need, renewed, TODAY).points > ranked[0].points


def test_chorweiler_has_turkish_speaking_companions() -> None:
    turkish = [
        c
        for c in candidates()
        if c.site == "koeln-chorweiler"
        and Language.TR in c.languages
        and NeedType.ACCOMPANIMENT in c.skills
    ]
    assert len(turkish) >= 2
