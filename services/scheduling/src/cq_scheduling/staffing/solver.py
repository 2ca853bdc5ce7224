"""All gaps of one absence solved together: an assignment of gaps to people, optimal on the
summed score, in which nobody gets two gaps that together break a rule.

Why OR-Tools CP-SAT and not scipy's `linear_sum_assignment` (which volunteering uses): the
Hungarian method assigns rows to columns independently and cannot say "not both of these two
for the same person". Here two gaps each fine for a person can together break the rest time,
the daily maximum or the run of working days. CP-SAT takes such conflicts as constraints:
- one boolean per (gap, eligible candidate); each gap filled at most once;
- for each person and each pair of their gaps that together break a rule (rules.py):
  not both;
- rules over three or more gaps (three short shifts over ten hours, a seventh day in a row)
  are found by checking every person's whole set in the solution with the same rule
  functions; a set that breaks one is forbidden (a cut: not all of them) and the model is
  solved again, until every person's set keeps every rule.
The objective fills as many gaps as possible first (FILL per gap dwarfs any score), then
maximises the summed candidate scores.

Only pairs within `reach` of each other are checked: further apart no rule can link two
shifts each fine alone (see `reach`). Pure and CPU-bound: planning runs it in a thread.
"""

import itertools
import uuid
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta

from ortools.sat.python import cp_model

from cq_scheduling.staffing.candidates import Candidate, Gap, Person
from cq_scheduling.staffing.rules import RuleSet, broken_together

FILL = 1_000_000
MOST_ROUNDS = 50
SECONDS_PER_SOLVE = 10.0


@dataclass(frozen=True)
class Assignment:
    chosen: Mapping[uuid.UUID, Candidate]  # gap id -> the person offered it
    score: int
    rounds: int  # solves needed (1 when no cut was necessary)


# A shift lasts 12 hours at most (ck_shifts_length); a day more covers it and a DST shift.
SLACK = timedelta(days=1)


def reach(rules: RuleSet) -> timedelta:
    """How far apart (start to start) two gaps, each fine alone for a person, may lie and
    still break a rule together:
    - overlap, daily maximum: the same hours or local day, within a shift's length plus a day;
    - rest time: the end of one within `min_rest` of the other's start;
    - consecutive days: both in one run of working days. Each alone keeps the run, so the run
      from the earlier up to the day before the later one has at most `max_consecutive_days`
      days: their days lie at most that many apart (12 at most, CHECK 1-12, so 13 days
      start to start with the day's hours).
    SLACK on top covers the shift's length, the hours within a day and a DST change."""
    return max(timedelta(days=rules.max_consecutive_days), rules.min_rest) + SLACK


def _together_broken(rules: RuleSet, person: Person, gaps: Sequence[Gap]) -> bool:
    taken = [(gap.period, gap.required) for gap in gaps]
    return bool(broken_together(rules, person.roster, taken))


def assign(
    rules: RuleSet,
    gaps: Sequence[Gap],
    options: Mapping[uuid.UUID, Sequence[Candidate]],
    people: Mapping[uuid.UUID, Person],
) -> Assignment:
    """`options[gap_id]` are the gap's eligible candidates (candidates.candidates)."""
    by_id = {gap.gap_id: gap for gap in gaps}
    model = cp_model.CpModel()
    take: dict[tuple[uuid.UUID, uuid.UUID], cp_model.IntVar] = {}
    per_person: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
    for gap in gaps:
        for candidate in options.get(gap.gap_id, ()):
            take[gap.gap_id, candidate.staff_id] = model.new_bool_var("")
            per_person[candidate.staff_id].append(gap.gap_id)
        choices = [v for (g, _), v in take.items() if g == gap.gap_id]
        if choices:
            model.add_at_most_one(choices)
    far = reach(rules)
    for staff_id, gap_ids in per_person.items():
        for first, second in itertools.combinations(gap_ids, 2):
            if abs(by_id[first].period.start - by_id[second].period.start) > far:
                continue  # too far apart for any rule to link them
            if _together_broken(rules, people[staff_id], [by_id[first], by_id[second]]):
                model.add_bool_or(
                    [take[first, staff_id].negated(), take[second, staff_id].negated()]
                )
    score = {(gap_id, c.staff_id): c for gap_id, listed in options.items() for c in listed}
    model.maximize(sum((FILL + score[key].score) * var for key, var in take.items()))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = SECONDS_PER_SOLVE
    solver.parameters.num_workers = 1  # two shared cores; the models are small
    for rounds in range(1, MOST_ROUNDS + 1):
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Assignment({}, 0, rounds)
        chosen = {g: score[g, s] for (g, s), v in take.items() if solver.boolean_value(v)}
        held: dict[uuid.UUID, list[uuid.UUID]] = defaultdict(list)
        for gap_id, candidate in chosen.items():
            held[candidate.staff_id].append(gap_id)
        cuts = [
            (staff_id, gap_ids)
            for staff_id, gap_ids in held.items()
            if len(gap_ids) > 2
            and _together_broken(rules, people[staff_id], [by_id[g] for g in gap_ids])
        ]
        if not cuts:
            return Assignment(chosen, sum(c.score for c in chosen.values()), rounds)
        for staff_id, gap_ids in cuts:
            model.add_bool_or([~take[g, staff_id] for g in gap_ids])
    raise RuntimeError("no rule-keeping assignment within the rounds allowed")


def greedy(
    rules: RuleSet,
    gaps: Sequence[Gap],
    options: Mapping[uuid.UUID, Sequence[Candidate]],
    people: Mapping[uuid.UUID, Person],
) -> Assignment:
    """The baseline the benchmark compares against: gaps in time order, each to its best
    candidate whose set still keeps every rule."""
    chosen: dict[uuid.UUID, Candidate] = {}
    held: dict[uuid.UUID, list[Gap]] = defaultdict(list)
    for gap in sorted(gaps, key=lambda g: (g.period.start, str(g.gap_id))):
        for candidate in options.get(gap.gap_id, ()):
            mine = [*held[candidate.staff_id], gap]
            if len(mine) == 1 or not _together_broken(rules, people[candidate.staff_id], mine):
                chosen[gap.gap_id] = candidate
                held[candidate.staff_id].append(gap)
                break
    return Assignment(chosen, sum(c.score for c in chosen.values()), 1)
