"""Choosing pairs from a score matrix under capacities: optimal and greedy.

Both take a matrix of integer points (rows = needs, columns = volunteers, negative = not
allowed) and each volunteer's free capacity, and fill each need at most once.

The optimal solver maximises the total score with `scipy.optimize.linear_sum_assignment` on a
capacity-expanded matrix (a volunteer with capacity k becomes k identical columns). Three
reductions keep the 1,000 x 10,000 case small:
- independent blocks (in practice: sites) are solved separately (connected components of the
  eligibility graph);
- a row needs only its best `rows` expanded columns: in an optimal solution a row using a
  worse column could move to one of those, at least one of which the other rows leave free;
- one zero-score "unfilled" column per row makes every block feasible, so forbidden pairs
  never have to be chosen.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

# scipy ships no type information; see the report for the root mypy override.
from scipy.optimize import linear_sum_assignment  # type: ignore[import-untyped]
from scipy.sparse import coo_array  # type: ignore[import-untyped]
from scipy.sparse.csgraph import connected_components  # type: ignore[import-untyped]

IntMatrix = NDArray[np.int64]
IntVector = NDArray[np.int64]


@dataclass(frozen=True)
class Solution:
    pairs: tuple[tuple[int, int], ...]  # (row, column), sorted by row
    total: int  # the sum of the chosen entries

    @classmethod
    def of(cls, scores: IntMatrix, pairs: list[tuple[int, int]]) -> "Solution":
        ordered = tuple(sorted(pairs))
        return cls(ordered, int(sum(int(scores[r, c]) for r, c in ordered)))


def solve_greedy(scores: IntMatrix, capacity: IntVector) -> Solution:
    """Baseline: take the best remaining pair while needs and capacity last."""
    rows, cols = np.nonzero((scores >= 0) & (capacity > 0)[np.newaxis, :])
    values = scores[rows, cols]
    # Best score first; equal scores by row, then column (columns are in volunteer id order).
    order = np.lexsort((cols, rows, -values))
    remaining = capacity.astype(np.int64).copy()
    filled = np.zeros(scores.shape[0], dtype=bool)
    pairs: list[tuple[int, int]] = []
    for index in order:
        row, col = int(rows[index]), int(cols[index])
        if filled[row] or remaining[col] == 0:
            continue
        filled[row] = True
        remaining[col] -= 1
        pairs.append((row, col))
        if len(pairs) == scores.shape[0]:
            break
    return Solution.of(scores, pairs)


def solve_optimal(scores: IntMatrix, capacity: IntVector) -> Solution:
    """The pairs with the largest total score; among those, the most filled needs."""
    allowed = (scores >= 0) & (capacity > 0)[np.newaxis, :]
    pairs: list[tuple[int, int]] = []
    for rows, cols in _blocks(allowed):
        block = np.where(allowed[np.ix_(rows, cols)], scores[np.ix_(rows, cols)], -1)
        for row, col in _solve_block(block, capacity[cols]):
            pairs.append((int(rows[row]), int(cols[col])))
    return Solution.of(scores, pairs)


def _blocks(allowed: NDArray[np.bool_]) -> list[tuple[IntVector, IntVector]]:
    """Groups of rows and columns that share no allowed pair with any other group."""
    n_rows, n_cols = allowed.shape
    rows, cols = np.nonzero(allowed)
    if rows.size == 0:
        return []
    graph = coo_array(
        (np.ones(rows.size, dtype=np.int8), (rows, n_rows + cols)),
        shape=(n_rows + n_cols, n_rows + n_cols),
    )
    _, labels = connected_components(graph, directed=False)
    row_labels, col_labels = labels[:n_rows], labels[n_rows:]
    blocks = []
    for label in np.unique(labels[rows]):
        blocks.append((np.flatnonzero(row_labels == label), np.flatnonzero(col_labels == label)))
    return blocks


def _solve_block(block: IntMatrix, capacity: IntVector) -> list[tuple[int, int]]:
    n_rows = block.shape[0]
    copies = _useful_copies(block, capacity, n_rows)
    expanded_cols = np.repeat(np.arange(block.shape[1]), copies)
    expanded = block[:, expanded_cols]
    # Total score first, then the number of filled needs: (n_rows + 1) * points + 1 per pair
    # keeps both in one exact integer objective. -1 for forbidden pairs is enough because a
    # free zero-score "unfilled" column is always there to prefer.
    weights = np.where(expanded >= 0, expanded * (n_rows + 1) + 1, -1).astype(np.float64)
    unfilled = np.zeros((n_rows, n_rows), dtype=np.float64)
    chosen_rows, chosen_cols = linear_sum_assignment(np.hstack([weights, unfilled]), maximize=True)
    pairs = []
    for row, col in zip(chosen_rows.tolist(), chosen_cols.tolist(), strict=True):
        if col < expanded_cols.size and expanded[row, col] >= 0:
            pairs.append((row, int(expanded_cols[col])))
    return pairs


def _useful_copies(block: IntMatrix, capacity: IntVector, n_rows: int) -> IntVector:
    """How many copies of each column any row could need: per row, its best columns until
    their capacities add up to the number of rows; per column, the most any row keeps."""
    order = np.argsort(-block, axis=1, kind="stable")
    ranked = np.take_along_axis(block, order, axis=1)
    ranked_capacity = np.where(ranked >= 0, capacity[order], 0)
    before = np.cumsum(ranked_capacity, axis=1) - ranked_capacity
    wanted = np.minimum(ranked_capacity, np.maximum(n_rows - before, 0))
    copies = np.zeros(block.shape[1], dtype=np.int64)
    np.maximum.at(copies, order.ravel(), wanted.ravel())
    return copies
