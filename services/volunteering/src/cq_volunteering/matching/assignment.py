"""Assigning many open needs at once (e.g. a backlog after a holiday, or a planning run).

`assign_optimal` maximises the total score under every volunteer's free capacity;
`assign_greedy` is the baseline it is measured against (best pair first). Both apply the same
hard filters as a single proposal, so an expired certificate is never assigned either.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from uuid import UUID

import numpy as np

from cq_volunteering.matching import criteria
from cq_volunteering.matching.matrix import score_matrix
from cq_volunteering.matching.model import Candidate, NeedToFill
from cq_volunteering.matching.solvers import (
    IntMatrix,
    IntVector,
    Solution,
    solve_greedy,
    solve_optimal,
)


@dataclass(frozen=True)
class Assigned:
    need_id: UUID
    volunteer_id: UUID
    score: float


@dataclass(frozen=True)
class Plan:
    assigned: tuple[Assigned, ...]
    unfilled: tuple[UUID, ...]  # need ids left for a coordinator

    @property
    def total_score(self) -> float:
        return sum(a.score for a in self.assigned)


def assign_optimal(
    needs: Sequence[NeedToFill], candidates: Sequence[Candidate], today: date
) -> Plan:
    return _plan(needs, candidates, today, solve_optimal)


def assign_greedy(
    needs: Sequence[NeedToFill], candidates: Sequence[Candidate], today: date
) -> Plan:
    return _plan(needs, candidates, today, solve_greedy)


def _plan(
    needs: Sequence[NeedToFill],
    candidates: Sequence[Candidate],
    today: date,
    solve: Callable[[IntMatrix, IntVector], Solution],
) -> Plan:
    # Columns in volunteer id order: the solvers break ties by column, so by id.
    ordered = sorted(candidates, key=lambda c: c.volunteer_id)
    scores = score_matrix(needs, ordered, today)
    capacity = np.asarray([c.free_capacity for c in ordered], dtype=np.int64)
    solution = solve(scores, capacity)
    assigned = tuple(
        Assigned(
            need_id=needs[row].need_id,
            volunteer_id=ordered[col].volunteer_id,
            score=criteria.as_fraction(int(scores[row, col])),
        )
        for row, col in solution.pairs
    )
    filled = {row for row, _ in solution.pairs}
    unfilled = tuple(need.need_id for i, need in enumerate(needs) if i not in filled)
    return Plan(assigned, unfilled)
