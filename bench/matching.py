"""Volunteering's matcher on generated data: time to an assignment and its total score,
against the greedy baseline on the same data in the same run."""

import random
import time
import uuid
from collections.abc import Callable
from datetime import date, timedelta

from bench.figures import Section
from cq_shared.contracts import Language, NeedType
from cq_shared.recurrence import Weekday
from cq_volunteering.matching.assignment import Plan, assign_greedy, assign_optimal
from cq_volunteering.matching.model import Candidate, NeedToFill

SITES = ["muenster", "zwenkau", "kaiserslautern", "koeln-chorweiler"]
PREFIXES = {"muenster": "481", "zwenkau": "044", "kaiserslautern": "676", "koeln-chorweiler": "507"}
LANGUAGES = [Language.DE] * 6 + [Language.TR, Language.AR, Language.RU, Language.EN]
TASKS = [NeedType.VOLUNTEER_VISIT, NeedType.ACCOMPANIMENT]


def postal_code(rng: random.Random, site: str) -> str:
    return PREFIXES[site] + f"{rng.randint(0, 99):02d}"


def volunteers(rng: random.Random, count: int, today: date) -> list[Candidate]:
    generated = []
    for _ in range(count):
        site = rng.choice(SITES)
        spoken = {Language.DE, rng.choice(LANGUAGES)}
        generated.append(
            Candidate(
                volunteer_id=uuid.UUID(int=rng.getrandbits(128)),
                site=site,
                skills=frozenset(rng.sample(TASKS, rng.randint(1, 2))),
                languages=tuple(sorted(spoken)),
                postal_code=postal_code(rng, site),
                weekdays=frozenset(rng.sample(list(Weekday), rng.randint(1, 5))),
                max_load=rng.randint(1, 3),
                active_load=rng.randint(0, 1),
                # About one in ten certificates has expired: those must never be assigned.
                certificate_expires_on=today + timedelta(days=rng.randint(-60, 900)),
            )
        )
    return generated


def needs(rng: random.Random, count: int, today: date) -> list[NeedToFill]:
    return [
        NeedToFill(
            need_id=uuid.UUID(int=rng.getrandbits(128)),
            site=(site := rng.choice(SITES)),
            need_type=rng.choice(TASKS),
            start=today + timedelta(days=rng.randint(0, 30)),
            client_language=rng.choice(LANGUAGES),
            client_postal_code=postal_code(rng, site),
        )
        for _ in range(count)
    ]


def _timed(plan: Callable[[], Plan]) -> tuple[Plan, float]:
    started = time.perf_counter()
    result = plan()
    return result, time.perf_counter() - started


def matching_section(need_count: int, volunteer_count: int, cases: int, seed: int = 7) -> Section:
    """The headline case (timed), then `cases` smaller random cases: optimal must never be
    worse than greedy on any of them."""
    today = date(2026, 11, 22)
    rng = random.Random(seed)
    open_needs, pool = needs(rng, need_count, today), volunteers(rng, volunteer_count, today)
    optimal, optimal_seconds = _timed(lambda: assign_optimal(open_needs, pool, today))
    greedy, greedy_seconds = _timed(lambda: assign_greedy(open_needs, pool, today))
    expired = {c.volunteer_id for c in pool if c.certificate_expires_on < today}
    worse = 0
    for case in range(cases):
        small_rng = random.Random(seed * 1000 + case)
        small_needs = needs(small_rng, 60, today)
        small_pool = volunteers(small_rng, 200, today)
        best = assign_optimal(small_needs, small_pool, today).total_score
        baseline = assign_greedy(small_needs, small_pool, today).total_score
        worse += best < baseline - 1e-9
    return Section(
        f"matching {need_count}x{volunteer_count}",
        {
            "optimal_seconds": round(optimal_seconds, 3),
            "greedy_seconds": round(greedy_seconds, 3),
            "optimal_total_score": round(optimal.total_score, 3),
            "greedy_total_score": round(greedy.total_score, 3),
            "score_ratio": round(optimal.total_score / greedy.total_score, 4)
            if greedy.total_score
            else 1.0,
            "optimal_assigned": len(optimal.assigned),
            "greedy_assigned": len(greedy.assigned),
            "expired_certificates_assigned": sum(
                a.volunteer_id in expired for a in optimal.assigned
            ),
            "random_cases": cases,
            "cases_worse_than_greedy": worse,
        },
    )
