"""The working-time rules and the assignment, without a database: each rule on its own, then
a property over random rosters: no proposal of the solver ever breaks qualification,
overlap, rest time, the daily maximum or consecutive days, checked here in plain minutes."""

import itertools
import uuid
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from cq_scheduling.staffing.candidates import Gap, Person, Worked, candidates
from cq_scheduling.staffing.rules import (
    Period,
    Roster,
    Rule,
    RuleSet,
    broken_rules,
    covers,
)
from cq_scheduling.staffing.solver import assign, greedy

BERLIN = ZoneInfo("Europe/Berlin")
RULES = RuleSet(zone=BERLIN)
MONDAY = datetime(2030, 3, 4, 5, 0, tzinfo=UTC)  # 06:00 in Berlin
H = timedelta(hours=1)
QUALIFICATIONS = ("Pflegefachkraft", "Pflegehilfskraft", "Betreuungskraft")


def shift(day: int, start_hour: float, hours: float) -> Period:
    start = MONDAY + timedelta(days=day, hours=start_hour - 6)
    return Period(start, start + hours * H)


def test_a_fachkraft_covers_a_hilfskraft_not_the_other_way_round() -> None:
    assert covers(RULES, "Pflegefachkraft", "Pflegehilfskraft")
    assert covers(RULES, "Pflegehilfskraft", "Betreuungskraft")
    assert not covers(RULES, "Pflegehilfskraft", "Pflegefachkraft")
    assert not covers(RULES, "Hauswirtschaft", "Betreuungskraft")  # not in the site's order


def test_each_rule_alone() -> None:
    early = shift(0, 6, 8)  # Mon 06-14
    roster = Roster("Pflegefachkraft", (early,))
    assert broken_rules(RULES, roster, shift(0, 20, 8), "Pflegefachkraft") == [
        Rule.REST,  # 6 h after 14:00
        Rule.DAILY_MAXIMUM,  # 14 h on Monday (ArbZG § 3)
    ]
    assert broken_rules(RULES, roster, shift(0, 12, 4), "Pflegefachkraft")[0] == Rule.OVERLAP
    assert broken_rules(RULES, roster, shift(1, 6, 8), "Pflegefachkraft") == []  # 16 h rest
    assert broken_rules(RULES, roster, shift(1, 6, 8), "Betreuungskraft") == []
    helper = Roster("Betreuungskraft")
    assert broken_rules(RULES, helper, shift(1, 6, 8), "Pflegefachkraft") == [Rule.QUALIFICATION]
    absent = Roster("Pflegefachkraft", absences=(Period(MONDAY, MONDAY + 48 * H),))
    assert broken_rules(RULES, absent, shift(1, 6, 8), "Pflegefachkraft") == [Rule.OVERLAP]


def test_ten_hours_rest_when_the_site_configures_it() -> None:
    roster = Roster("Pflegefachkraft", (shift(0, 13, 8),))  # until 21:00
    next_day = shift(1, 7, 6)  # 10 h later
    assert Rule.REST in broken_rules(RULES, roster, next_day, "Pflegefachkraft")
    ten = RuleSet(zone=BERLIN, min_rest=10 * H)
    assert broken_rules(ten, roster, next_day, "Pflegefachkraft") == []


def test_the_seventh_day_in_a_row_is_refused() -> None:
    six = tuple(shift(day, 6, 8) for day in range(6))
    roster = Roster("Pflegefachkraft", six)
    assert broken_rules(RULES, roster, shift(6, 6, 8), "Pflegefachkraft") == [Rule.CONSECUTIVE_DAYS]
    assert broken_rules(RULES, roster, shift(7, 6, 8), "Pflegefachkraft") == []


def test_two_gaps_fine_alone_are_not_given_to_one_person_together() -> None:
    person = Person(uuid.uuid4(), "ambulant", frozenset(), "Pflegefachkraft", 39)
    late = Gap(uuid.uuid4(), "ambulant", shift(0, 14, 8), "Pflegefachkraft")
    early = Gap(uuid.uuid4(), "ambulant", shift(1, 6, 8), "Pflegefachkraft")  # 8 h after
    options = {g.gap_id: candidates(RULES, [person], g) for g in (late, early)}
    assert all(options.values())
    result = assign(RULES, [late, early], options, {person.staff_id: person})
    assert len(result.chosen) == 1


# The property: random people with random existing shifts, random gaps; whatever the solver
# (and the greedy baseline) proposes keeps every rule, checked independently in minutes.
minutes = st.integers(min_value=0, max_value=9 * 24 * 60 // 30).map(lambda n: n * 30)
lengths = st.sampled_from([4 * 60, 6 * 60, 8 * 60, 9 * 60, 10 * 60])


@st.composite
def periods(draw: st.DrawFn) -> Period:
    start = MONDAY + timedelta(minutes=draw(minutes))
    return Period(start, start + timedelta(minutes=draw(lengths)))


@st.composite
def people(draw: st.DrawFn) -> Person:
    own: list[Period] = []
    for candidate in draw(st.lists(periods(), max_size=6)):
        if not broken_rules(RULES, Roster("x", tuple(own)), candidate, "x"):
            own.append(candidate)  # an existing roster that itself keeps the rules
    absences = draw(st.lists(periods(), max_size=1))
    absences = [a for a in absences if not any(a.overlaps(o) for o in own)]
    return Person(
        staff_id=uuid.uuid4(),
        unit=draw(st.sampled_from(["ambulant", "stationaer"])),
        pool=frozenset(draw(st.sets(st.sampled_from(["ambulant", "stationaer"])))),
        qualification=draw(st.sampled_from(QUALIFICATIONS)),
        contracted_hours_per_week=draw(st.sampled_from([20.0, 30.0, 39.0])),
        worked=tuple(Worked("ambulant", p) for p in own),
        absences=tuple(absences),
    )


@st.composite
def gaps(draw: st.DrawFn) -> Gap:
    return Gap(
        uuid.uuid4(),
        draw(st.sampled_from(["ambulant", "stationaer"])),
        draw(periods()),
        draw(st.sampled_from(QUALIFICATIONS)),
    )


def _keeps_every_rule(person: Person, taken: list[Gap]) -> None:
    work = [w.period for w in person.worked] + [g.period for g in taken]
    rank = {q: i for i, q in enumerate(QUALIFICATIONS)}
    for gap in taken:
        assert rank[person.qualification] <= rank[gap.required], "qualification"
        assert person.may_work_in(gap.unit), "unit"
    ordered = sorted(work, key=lambda p: p.start)
    for first, second in itertools.pairwise(ordered):
        assert second.start - first.end >= timedelta(hours=11), "rest time (and overlap)"
    for absence in person.absences:
        assert not any(p.start < absence.end and absence.start < p.end for p in work), "absent"
    for day in {p.start.astimezone(BERLIN).date() for p in work} | {
        p.end.astimezone(BERLIN).date() for p in work
    }:
        midnight = datetime.combine(day, datetime.min.time(), BERLIN)
        following = datetime.combine(day + timedelta(days=1), datetime.min.time(), BERLIN)
        inside = sum(
            (
                min(p.end, following) - max(p.start, midnight)
                for p in work
                if p.start < following and midnight < p.end
            ),
            timedelta(),
        )
        assert inside <= timedelta(hours=10), "daily maximum"
    days = sorted({p.start.astimezone(BERLIN).date() for p in work})
    run = 1
    for before, after in itertools.pairwise(days):
        run = run + 1 if (after - before).days == 1 else 1
        assert run <= 6, "consecutive days"


@settings(max_examples=60, deadline=None)
@given(st.lists(people(), min_size=1, max_size=8), st.lists(gaps(), min_size=1, max_size=8))
def test_no_proposal_ever_breaks_a_rule(staff: list[Person], open_gaps: list[Gap]) -> None:
    options = {g.gap_id: candidates(RULES, staff, g) for g in open_gaps}
    by_id = {p.staff_id: p for p in staff}
    for solve in (assign, greedy):
        result = solve(RULES, open_gaps, options, by_id)
        for person in staff:
            taken = [
                g
                for g in open_gaps
                if (c := result.chosen.get(g.gap_id)) and c.staff_id == person.staff_id
            ]
            _keeps_every_rule(person, taken)
    optimal, baseline = (
        assign(RULES, open_gaps, options, by_id),
        greedy(RULES, open_gaps, options, by_id),
    )
    # Optimal on (filled, score): never fewer gaps filled than the greedy baseline.
    assert len(optimal.chosen) >= len(baseline.chosen)
