"""Assigning many needs at once: the numpy scores agree with the per-case scores, the optimal
solver is optimal (brute force on tiny cases) and never worse than greedy."""

import itertools
import random
import uuid
from datetime import date, timedelta

import numpy as np

from cq_shared.contracts import Language, NeedType
from cq_shared.recurrence import Weekday
from cq_volunteering.matching.assignment import assign_greedy, assign_optimal
from cq_volunteering.matching.matrix import INELIGIBLE, score_matrix
from cq_volunteering.matching.model import Candidate, NeedToFill
from cq_volunteering.matching.scoring import is_eligible, score
from cq_volunteering.matching.solvers import solve_greedy, solve_optimal

TODAY = date(2026, 11, 23)
SITES = ("muenster", "zwenkau")
TYPES = (NeedType.VOLUNTEER_VISIT, NeedType.ACCOMPANIMENT)


def random_volunteer(rng: random.Random) -> Candidate:
    max_load = rng.randint(1, 3)
    return Candidate(
        volunteer_id=uuid.UUID(int=rng.getrandbits(128)),
        site=rng.choice(SITES),
        skills=frozenset(rng.sample(TYPES, rng.randint(1, 2))),
        languages=tuple(rng.sample(list(Language), rng.randint(1, 3))),
        postal_code=rng.choice(["48143", "48147", "48151", "04442", "04416", "4442"]),
        weekdays=frozenset(rng.sample(list(Weekday), rng.randint(1, 7))),
        max_load=max_load,
        active_load=rng.randint(0, max_load),
        certificate_expires_on=TODAY + timedelta(days=rng.randint(-30, 500)),
    )


def random_need(rng: random.Random, volunteers: list[Candidate]) -> NeedToFill:
    asked = {v.volunteer_id for v in volunteers if rng.random() < 0.1}
    return NeedToFill(
        need_id=uuid.uuid4(),
        site=rng.choice(SITES),
        need_type=rng.choice(TYPES),
        start=rng.choice([None, TODAY + timedelta(days=rng.randint(-3, 40))]),
        client_language=rng.choice([Language.DE, Language.DE, Language.TR, Language.RU]),
        # Full codes (v1 events) and areas only (v2 events): the matrix agrees on both.
        client_postal_code=rng.choice(["48143", "48149", "04442", "04229", "481", "044", "042"]),
        excluded_volunteers=frozenset(asked),
    )


def test_the_score_matrix_agrees_with_the_per_case_scores() -> None:
    rng = random.Random(7)
    volunteers = [random_volunteer(rng) for _ in range(60)]
    needs = [random_need(rng, volunteers) for _ in range(40)]
    matrix = score_matrix(needs, volunteers, TODAY)
    for i, need in enumerate(needs):
        for j, volunteer in enumerate(volunteers):
            if is_eligible(need, volunteer, TODAY):
                assert matrix[i, j] == score(need, volunteer, TODAY).points
            else:
                assert matrix[i, j] == INELIGIBLE


def brute_force_best(scores: np.ndarray, capacity: np.ndarray) -> int:
    """The best total over every way to give each need one volunteer or none."""
    n_rows, n_cols = scores.shape
    best = 0
    for choice in itertools.product([None, *range(n_cols)], repeat=n_rows):
        used = np.bincount([c for c in choice if c is not None], minlength=n_cols)
        if (used > capacity).any():
            continue
        pairs = [(r, c) for r, c in enumerate(choice) if c is not None]
        if any(scores[r, c] < 0 for r, c in pairs):
            continue
        best = max(best, sum(int(scores[r, c]) for r, c in pairs))
    return best


def test_optimal_is_optimal_on_tiny_cases() -> None:
    rng = np.random.default_rng(3)
    for _ in range(20):
        scores = rng.integers(-1, 30, size=(4, 3))
        capacity = rng.integers(0, 3, size=3)
        solution = solve_optimal(scores, capacity)
        assert solution.total == brute_force_best(scores, capacity)
        used = np.bincount([c for _, c in solution.pairs], minlength=3)
        assert (used <= capacity).all()
        assert len({r for r, _ in solution.pairs}) == len(solution.pairs)


def test_optimal_is_never_worse_than_greedy_on_random_cases() -> None:
    rng = random.Random(11)
    strictly_better = 0
    for _ in range(20):
        volunteers = [random_volunteer(rng) for _ in range(rng.randint(3, 25))]
        needs = [random_need(rng, volunteers) for _ in range(rng.randint(1, 30))]
        optimal = assign_optimal(needs, volunteers, TODAY)
        greedy = assign_greedy(needs, volunteers, TODAY)
        assert optimal.total_score >= greedy.total_score - 1e-9
        strictly_better += optimal.total_score > greedy.total_score + 1e-9
        for plan in (optimal, greedy):
            by_id = {v.volunteer_id: v for v in volunteers}
            need_by_id = {n.need_id: n for n in needs}
            for assigned in plan.assigned:
                # The hard filters hold here too: no expired certificate, no full volunteer.
                assert is_eligible(
                    need_by_id[assigned.need_id], by_id[assigned.volunteer_id], TODAY
                )
            load = np.bincount(
                [list(by_id).index(a.volunteer_id) for a in plan.assigned], minlength=len(by_id)
            )
            assert all(load[k] <= v.free_capacity for k, v in enumerate(by_id.values()))
            assert len(plan.assigned) + len(plan.unfilled) == len(needs)
    assert strictly_better > 0  # the cases are hard enough for greedy to miss sometimes


def test_greedy_takes_the_best_pair_first_and_optimal_sees_further() -> None:
    # Greedy gives volunteer 0 to need 0 (90) and leaves need 1 without anyone.
    scores = np.array([[90, 80], [85, INELIGIBLE]])
    capacity = np.array([1, 1])
    assert solve_greedy(scores, capacity).pairs == ((0, 0),)
    assert solve_optimal(scores, capacity).pairs == ((0, 1), (1, 0))
