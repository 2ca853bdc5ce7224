"""Who may cover a gap, and how well: pure, over a snapshot of the site's roster.

A candidate keeps every rule (rules.py) and may be deployed to the gap's unit (their own or
one of their pool). The score orders them as the issue asks, with the reasons in words:
1. the same unit first (they know the people and the place): +SAME_UNIT;
2. the fewest extra hours this month (fairness): -OVER_HOUR per hour the shift would take
   them over their contracted share of the month (contracted hours a week x days / 7);
3. continuity: +RECENT_SHIFT per shift they worked in the gap's unit in the last 28 days, up
   to MOST_RECENT (a person the clients saw lately).
Scores are integers: the solver (CP-SAT) optimises over integers.
"""

import calendar
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from cq_scheduling.staffing.rules import Period, Roster, RuleSet, broken_rules

SAME_UNIT = 100
OVER_HOUR = 4
RECENT_SHIFT = 3
MOST_RECENT = 5
CONTINUITY_WINDOW = timedelta(days=28)


@dataclass(frozen=True)
class Worked:
    """One piece of a person's work: where, and when."""

    unit: str
    period: Period


@dataclass(frozen=True)
class Person:
    staff_id: uuid.UUID
    unit: str
    pool: frozenset[str]  # further units they may be deployed to
    qualification: str
    contracted_hours_per_week: float
    worked: tuple[Worked, ...] = ()  # assigned shifts and open offers (tentative)
    absences: tuple[Period, ...] = ()

    def may_work_in(self, unit: str) -> bool:
        return unit == self.unit or unit in self.pool

    @property
    def roster(self) -> Roster:
        return Roster(self.qualification, tuple(w.period for w in self.worked), self.absences)


@dataclass(frozen=True)
class Gap:
    gap_id: uuid.UUID
    unit: str
    period: Period
    required: str


@dataclass(frozen=True)
class Candidate:
    staff_id: uuid.UUID
    score: int
    reasons: tuple[str, ...]


def month_of(rules: RuleSet, moment: datetime) -> Period:
    local = moment.astimezone(rules.zone)
    first = local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    days = calendar.monthrange(local.year, local.month)[1]
    return Period(first, first + timedelta(days=days))


def _hours(periods: Iterable[Period], within: Period) -> float:
    total = timedelta()
    for period in periods:
        start, end = max(period.start, within.start), min(period.end, within.end)
        if end > start:
            total += end - start
    return total.total_seconds() / 3600


def explain(rules: RuleSet, person: Person, gap: Gap) -> Candidate:
    """The person's score for the gap and why, assuming they may take it."""
    reasons: list[str] = []
    score = 0
    if person.unit == gap.unit:
        score += SAME_UNIT
        reasons.append(f"same unit ({gap.unit})")
    else:
        reasons.append(f"from the pool (unit {person.unit})")
    month = month_of(rules, gap.period.start)
    share = person.contracted_hours_per_week * (month.length.days / 7)
    after = _hours((w.period for w in person.worked), month) + _hours([gap.period], month)
    over = after - share
    if over > 0:
        score -= round(OVER_HOUR * over)
        reasons.append(f"{over:.1f} h over contract this month with this shift")
    else:
        reasons.append(f"{-over:.1f} h under contract this month with this shift")
    since = Period(gap.period.start - CONTINUITY_WINDOW, gap.period.start)
    recent = sum(1 for w in person.worked if w.unit == gap.unit and w.period.overlaps(since))
    if recent:
        score += RECENT_SHIFT * min(recent, MOST_RECENT)
        reasons.append(f"worked {gap.unit} {recent} times in the last 28 days")
    return Candidate(person.staff_id, score, tuple(reasons))


def eligible(rules: RuleSet, person: Person, gap: Gap) -> bool:
    return person.may_work_in(gap.unit) and not broken_rules(
        rules, person.roster, gap.period, gap.required
    )


def candidates(
    rules: RuleSet,
    people: Iterable[Person],
    gap: Gap,
    *,
    excluded: Mapping[uuid.UUID, frozenset[uuid.UUID]] | None = None,
) -> list[Candidate]:
    """Everyone who may take the gap, best first (ties by staff id, so runs agree).
    `excluded` names, per gap, people who already declined or let an offer run out."""
    skip = (excluded or {}).get(gap.gap_id, frozenset())
    found = [
        explain(rules, person, gap)
        for person in people
        if person.staff_id not in skip and eligible(rules, person, gap)
    ]
    return sorted(found, key=lambda c: (-c.score, str(c.staff_id)))


def why_nobody(
    rules: RuleSet, people: Iterable[Person], gap: Gap, *, excluded: frozenset[uuid.UUID]
) -> list[str]:
    """Why a gap found nobody, in counts (never names): for the coordinator who must act."""
    deployable = [p for p in people if p.may_work_in(gap.unit)]
    reasons = [f"{len(deployable)} staff members may work in {gap.unit}"]
    if excluded:
        reasons.append(f"{len(excluded)} were offered it and declined or did not answer")
    counts: dict[str, int] = {}
    for person in deployable:
        if person.staff_id in excluded:
            continue
        for rule in broken_rules(rules, person.roster, gap.period, gap.required):
            counts[rule.value] = counts.get(rule.value, 0) + 1
    reasons.extend(f"{count} would break {rule}" for rule, count in sorted(counts.items()))
    return reasons
