"""The per-case ranking: hard filters, weights, reasons and order (pure, no database)."""

import uuid
from dataclasses import replace
from datetime import date, timedelta

import pytest

from cq_shared.contracts import Language, NeedType
from cq_shared.recurrence import Weekday
from cq_volunteering.matching.model import Candidate, NeedToFill
from cq_volunteering.matching.scoring import is_eligible, rank, score

TODAY = date(2026, 11, 23)  # a Monday
WEDNESDAY = date(2026, 11, 25)

NEED = NeedToFill(
    need_id=uuid.uuid4(),
    site="kaiserslautern",
    need_type=NeedType.VOLUNTEER_VISIT,
    start=WEDNESDAY,
    client_language=Language.DE,
    client_postal_code="67655",
)
IDEAL = Candidate(
    volunteer_id=uuid.UUID(int=1),
    site="kaiserslautern",
    skills=frozenset({NeedType.VOLUNTEER_VISIT}),
    languages=(Language.DE,),
    postal_code="67655",
    weekdays=frozenset(Weekday),
    max_load=3,
    active_load=0,
    certificate_expires_on=TODAY + timedelta(days=800),
)


def test_an_ideal_volunteer_scores_one_with_five_reasons() -> None:
    scored = score(NEED, IDEAL, TODAY)
    assert scored.score == 1.0
    assert [r.criterion for r in scored.reasons] == [
        "language",
        "proximity",
        "availability",
        "load",
        "certificate",
    ]
    assert all(r.points == r.weight for r in scored.reasons)
    assert sum(r.weight for r in scored.reasons) == pytest.approx(1.0)


@pytest.mark.parametrize(
    ("start", "expires_on", "eligible"),
    [
        (WEDNESDAY, WEDNESDAY, True),  # valid up to and including its last day
        (WEDNESDAY, WEDNESDAY - timedelta(days=1), False),  # expired by the start
        (None, TODAY, True),
        (None, TODAY - timedelta(days=1), False),  # no start: checked against today
        (TODAY - timedelta(days=10), TODAY - timedelta(days=5), False),  # start in the past
    ],
)
def test_an_expired_certificate_is_never_eligible(
    start: date | None, expires_on: date, eligible: bool
) -> None:
    need = replace(NEED, start=start)
    candidate = replace(IDEAL, certificate_expires_on=expires_on)
    assert is_eligible(need, candidate, TODAY) is eligible
    assert (rank(need, [candidate], TODAY) != []) is eligible


def test_the_expired_best_candidate_is_skipped_for_the_next() -> None:
    expired = replace(IDEAL, certificate_expires_on=TODAY - timedelta(days=1))
    weaker = replace(IDEAL, volunteer_id=uuid.UUID(int=2), postal_code="67663", active_load=2)
    assert [s.candidate for s in rank(NEED, [expired, weaker], TODAY)] == [weaker]


@pytest.mark.parametrize(
    "change",
    [
        {"site": "zwenkau"},
        {"skills": frozenset({NeedType.ACCOMPANIMENT})},
        {"active_load": 3},
    ],
)
def test_other_hard_filters(change: dict[str, object]) -> None:
    assert not is_eligible(NEED, replace(IDEAL, **change), TODAY)  # type: ignore[arg-type]


def test_a_volunteer_already_asked_is_not_asked_again() -> None:
    need = replace(NEED, excluded_volunteers=frozenset({IDEAL.volunteer_id}))
    assert rank(need, [IDEAL], TODAY) == []


def test_language_beats_proximity() -> None:
    client = replace(NEED, client_language=Language.TR)
    neighbour = replace(IDEAL, volunteer_id=uuid.UUID(int=1), languages=(Language.DE,))
    speaker = replace(
        IDEAL,
        volunteer_id=uuid.UUID(int=2),
        languages=(Language.TR, Language.DE),
        postal_code="50765",  # another region altogether
    )
    ranked = rank(client, [neighbour, speaker], TODAY)
    assert [s.candidate for s in ranked] == [speaker, neighbour]
    language = ranked[0].reasons[0]
    assert language.points == 0.4
    assert "Turkish" in language.explanation
    assert "Does not speak Turkish" in ranked[1].reasons[0].explanation


@pytest.mark.parametrize(
    ("postal_code", "points"),
    [("67655", 0.25), ("67657", 0.15), ("67098", 0.075), ("50765", 0.0), ("D-676", 0.0)],
)
def test_proximity_by_postal_code_prefix(postal_code: str, points: float) -> None:
    scored = score(NEED, replace(IDEAL, postal_code=postal_code), TODAY)
    assert scored.reasons[1].points == points


@pytest.mark.parametrize(
    ("postal_code", "points"),
    [("67655", 0.15), ("67657", 0.15), ("67098", 0.075), ("50765", 0.0)],
)
def test_a_client_known_only_by_area_is_never_at_the_same_code(
    postal_code: str, points: float
) -> None:
    # v2 events carry the client's postal area ("676"), not the code (decision 0012).
    by_area = replace(NEED, client_postal_code="676")
    scored = score(by_area, replace(IDEAL, postal_code=postal_code), TODAY)
    assert scored.reasons[1].points == points


def test_availability_load_and_certificate_margin() -> None:
    tuesdays = replace(IDEAL, weekdays=frozenset({Weekday.TUE}), active_load=1, max_load=4)
    margin = replace(tuesdays, certificate_expires_on=WEDNESDAY + timedelta(days=73))
    reasons = {r.criterion: r for r in score(NEED, margin, TODAY).reasons}
    assert reasons["availability"].points == 0
    assert "Not available on Wednesdays" in reasons["availability"].explanation
    assert reasons["load"].points == 0.09  # 3 of 4 places free
    assert reasons["certificate"].points == 0.016  # 73 of 365 days
    no_start = {r.criterion: r for r in score(replace(NEED, start=None), margin, TODAY).reasons}
    assert no_start["availability"].points == 0.0214  # 1 of 7 weekdays, rounded


def test_reasons_sum_to_the_score() -> None:
    variants = [
        replace(IDEAL, postal_code=code, weekdays=frozenset(days), active_load=load)
        for code in ("67655", "67661", "67000", "10115")
        for days in ({Weekday.MON}, {Weekday.WED, Weekday.SAT}, set(Weekday))
        for load in (0, 1, 2)
    ]
    for need in (NEED, replace(NEED, start=None)):
        for candidate in variants:
            scored = score(need, candidate, TODAY)
            assert 0 <= scored.score <= 1
            assert sum(r.points for r in scored.reasons) == pytest.approx(scored.score, abs=1e-12)


def test_order_is_deterministic_with_ties_by_volunteer_id() -> None:
    twins = [replace(IDEAL, volunteer_id=uuid.UUID(int=n)) for n in (7, 3, 5)]
    also_ideal = replace(IDEAL, volunteer_id=uuid.UUID(int=9), max_load=20)
    busier = replace(IDEAL, volunteer_id=uuid.UUID(int=1), active_load=2)
    field = [*twins, busier, also_ideal]
    expected = [3, 5, 7, 9, 1]
    for shuffled in (field, field[::-1], field[2:] + field[:2]):
        ranked = rank(NEED, shuffled, TODAY)
        assert [s.candidate.volunteer_id.int for s in ranked] == expected
