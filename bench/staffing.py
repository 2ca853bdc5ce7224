"""Staff gaps (issue 10): one week of gaps at a site of 200 staff, assigned together with
CP-SAT (cq_scheduling.staffing.solver.assign) against the greedy baseline of the same run,
and every person's proposed set re-checked with the rules: violations must be 0.

The roster is drawn as the demo plan is: each unit's early, late and night shifts for three
weeks, each to the best of the unit's own people who keeps every rule and their contracted
week. Then `absent` people fall ill for the middle week: their shifts are the gaps."""

import random
import time
import uuid
from collections import defaultdict
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from bench.figures import Section
from cq_scheduling.staffing.candidates import Gap, Person, Worked, candidates
from cq_scheduling.staffing.rules import Period, RuleSet, broken_together
from cq_scheduling.staffing.solver import Assignment, assign, greedy

ZONE = ZoneInfo("Europe/Berlin")
RULES = RuleSet(zone=ZONE)
START = datetime(2030, 3, 4, 0, 0, tzinfo=ZONE)  # a Monday
UNITS = ("ambulant", "stationaer", "tagespflege", "gerontopsychiatrie")
QUALIFICATIONS = ("Pflegefachkraft", "Pflegehilfskraft", "Betreuungskraft")
# (start hour, hours, qualification, people) per unit and day
SHIFTS = (
    (6, 8, "Pflegefachkraft", 5),
    (6, 8, "Pflegehilfskraft", 4),
    (14, 8, "Pflegefachkraft", 4),
    (14, 8, "Pflegehilfskraft", 3),
    (22, 8, "Pflegefachkraft", 2),
)


def _people(rng: random.Random, count: int) -> list[Person]:
    return [
        Person(
            staff_id=uuid.UUID(int=rng.getrandbits(128)),
            unit=UNITS[n % len(UNITS)],
            pool=frozenset(rng.sample(UNITS, 2)),
            qualification=rng.choices(QUALIFICATIONS, weights=(5, 4, 1))[0],
            contracted_hours_per_week=rng.choice([20.0, 30.0, 35.0, 39.0]),
        )
        for n in range(count)
    ]


def _roster(people: list[Person]) -> dict[uuid.UUID, Person]:
    """Three weeks of shifts drawn greedily, within contract and rules."""
    by_id = {p.staff_id: p for p in people}
    week_hours: dict[tuple[uuid.UUID, int], float] = defaultdict(float)
    for day in range(21):
        for unit in UNITS:
            for hour, hours, qualification, places in SHIFTS:
                begin = START + timedelta(days=day, hours=hour)
                period = Period(
                    begin.astimezone(UTC), (begin + timedelta(hours=hours)).astimezone(UTC)
                )
                for _ in range(places):
                    own = [p for p in by_id.values() if p.unit == unit]
                    gap = Gap(uuid.uuid4(), unit, period, qualification)
                    for c in candidates(RULES, own, gap):
                        person = by_id[c.staff_id]
                        if (
                            week_hours[c.staff_id, day // 7] + hours
                            <= person.contracted_hours_per_week
                        ):
                            week_hours[c.staff_id, day // 7] += hours
                            by_id[c.staff_id] = replace(
                                person, worked=(*person.worked, Worked(unit, period))
                            )
                            break
    return by_id


def _violations(
    rules: RuleSet, result: Assignment, gaps: dict[uuid.UUID, Gap], people: dict[uuid.UUID, Person]
) -> int:
    held: dict[uuid.UUID, list[Gap]] = defaultdict(list)
    for gap_id, chosen in result.chosen.items():
        held[chosen.staff_id].append(gaps[gap_id])
    return sum(
        len(broken_together(rules, people[s].roster, [(g.period, g.required) for g in taken]))
        for s, taken in held.items()
    )


def staffing_section(staff: int = 200, absent: int = 12, seed: int = 10) -> Section:
    rng = random.Random(seed)
    people = _roster(_people(rng, staff))
    ill = rng.sample(sorted(people), absent)
    week = Period(
        (START + timedelta(days=7)).astimezone(UTC), (START + timedelta(days=14)).astimezone(UTC)
    )
    gaps: dict[uuid.UUID, Gap] = {}
    for staff_id in ill:
        person = people[staff_id]
        for worked in person.worked:
            if worked.period.overlaps(week):
                gap = Gap(uuid.uuid4(), worked.unit, worked.period, person.qualification)
                gaps[gap.gap_id] = gap
        kept = tuple(w for w in person.worked if not w.period.overlaps(week))
        people[staff_id] = replace(person, worked=kept, absences=(week,))
    started = time.perf_counter()
    options = {g.gap_id: candidates(RULES, people.values(), g) for g in gaps.values()}
    optimal = assign(RULES, list(gaps.values()), options, people)
    optimal_seconds = time.perf_counter() - started
    started = time.perf_counter()
    options = {g.gap_id: candidates(RULES, people.values(), g) for g in gaps.values()}
    baseline = greedy(RULES, list(gaps.values()), options, people)
    greedy_seconds = time.perf_counter() - started
    return Section(
        f"staff gaps: a week at a site of {staff}",
        {
            "staff": staff,
            "shifts_planned": sum(len(p.worked) for p in people.values()),
            "gaps": len(gaps),
            "optimal_seconds": round(optimal_seconds, 3),
            "greedy_seconds": round(greedy_seconds, 3),
            "optimal_filled": len(optimal.chosen),
            "greedy_filled": len(baseline.chosen),
            "optimal_total_score": optimal.score,
            "greedy_total_score": baseline.score,
            "solver_rounds": optimal.rounds,
            "optimal_rule_violations": _violations(RULES, optimal, gaps, people),
            "greedy_rule_violations": _violations(RULES, baseline, gaps, people),
        },
    )
