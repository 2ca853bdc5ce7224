"""The rules no proposal may break, as pure functions over one person's work.

Each takes the person's existing work (assigned shifts and shifts offered to them and not yet
answered: an open offer counts as a tentative shift) and the shift proposed, and answers
whether the proposal keeps the rule. Nothing here reads a clock or a database, so the
property tests can run them over random rosters, and the solver and the offers use the very
same functions. The numbers are a site's configuration (`RuleSet`), bounded by the law.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

# The default order of qualifications, highest first: each covers the work of those after it.
# Configuration per site (`staffing_rules.qualifications`), not law: the Fachkraft
# requirements of the Länder's Heimgesetze and of § 113c SGB XI (Personalbemessung) say who
# may do which work, and a site's hierarchy writes that down.
DEFAULT_QUALIFICATIONS = ("Pflegefachkraft", "Pflegehilfskraft", "Betreuungskraft")
# ArbZG § 5 Abs. 1: at least eleven hours of uninterrupted rest after the end of the daily
# working time. § 5 Abs. 2 lets Krankenhäuser and Pflege- und Betreuungseinrichtungen shorten
# it by one hour (compensated within a month), so a site may configure ten, never less.
DEFAULT_MIN_REST = timedelta(hours=11)
SHORTEST_REST = timedelta(hours=10)
# ArbZG § 3: the werktägliche Arbeitszeit may not exceed eight hours, extendable to ten if the
# average stays at eight. Ten is the ceiling no single day may pass.
DEFAULT_MAX_DAILY = timedelta(hours=10)
LONGEST_DAY = timedelta(hours=10)
# Not a number of the ArbZG: § 9 (Sonn- und Feiertagsruhe) with § 10 Abs. 1 Nr. 3 (care may
# work on Sundays) and § 11 Abs. 3 (an Ersatzruhetag within two weeks) would allow up to
# twelve days in a row. Collective agreements (TVöD, the DRK-Reformtarifvertrag) and
# occupational-health guidance keep rosters at five to seven; six is the demo's setting.
DEFAULT_MAX_CONSECUTIVE_DAYS = 6
MOST_CONSECUTIVE_DAYS = 12
# ArbZG § 3 limits the work of a "Werktag". We sum it per calendar day on the site's clock,
# as rosters are drawn. A stricter reading (the 24 hours from the start of work) would forbid
# the usual change from a late shift to the next early one; it is not what rosters apply.


class Rule(StrEnum):
    QUALIFICATION = "qualification"
    OVERLAP = "overlap"
    REST = "rest_time"
    DAILY_MAXIMUM = "daily_maximum"
    CONSECUTIVE_DAYS = "consecutive_days"


@dataclass(frozen=True)
class Period:
    start: datetime
    end: datetime

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError("a period ends after it starts")

    def overlaps(self, other: "Period") -> bool:
        return self.start < other.end and other.start < self.end

    @property
    def length(self) -> timedelta:
        return self.end - self.start


@dataclass(frozen=True)
class RuleSet:
    """A site's working-time configuration, each number within what the law allows."""

    zone: ZoneInfo
    qualifications: tuple[str, ...] = DEFAULT_QUALIFICATIONS
    min_rest: timedelta = DEFAULT_MIN_REST
    max_daily: timedelta = DEFAULT_MAX_DAILY
    max_consecutive_days: int = DEFAULT_MAX_CONSECUTIVE_DAYS

    def __post_init__(self) -> None:
        if self.min_rest < SHORTEST_REST:
            raise ValueError("ArbZG § 5 allows no rest shorter than ten hours")
        if self.max_daily > LONGEST_DAY:
            raise ValueError("ArbZG § 3 allows no more than ten hours a day")
        if not 1 <= self.max_consecutive_days <= MOST_CONSECUTIVE_DAYS:
            raise ValueError("consecutive days between 1 and 12")


@dataclass(frozen=True)
class Roster:
    """What a person already has: their qualification, their work (shifts and open offers)
    and their absences."""

    qualification: str
    work: tuple[Period, ...] = ()
    absences: tuple[Period, ...] = field(default=())

    def with_work(self, *more: Period) -> "Roster":
        return Roster(self.qualification, (*self.work, *more), self.absences)


def covers(rules: RuleSet, has: str, required: str) -> bool:
    """A qualification covers its own work and that of every qualification below it in the
    site's order (a Pflegefachkraft a Pflegehilfskraft's shift, never the other way round)."""
    if has == required:
        return True
    order = rules.qualifications
    return has in order and required in order and order.index(has) < order.index(required)


def overlaps(proposed: Period, busy: Iterable[Period]) -> bool:
    """Nobody works two shifts at once, or while absent."""
    return any(proposed.overlaps(other) for other in busy)


def rest_kept(rules: RuleSet, proposed: Period, work: Iterable[Period]) -> bool:
    """ArbZG § 5: the configured rest lies between the proposal and each other shift."""
    for other in work:
        if other.end <= proposed.start:
            gap = proposed.start - other.end
        elif proposed.end <= other.start:
            gap = other.start - proposed.end
        else:
            return False  # overlapping: no rest at all
        if gap < rules.min_rest:
            return False
    return True


def _worked_within(window: Period, work: Iterable[Period]) -> timedelta:
    total = timedelta()
    for period in work:
        start, end = max(window.start, period.start), min(window.end, period.end)
        if end > start:
            total += end - start
    return total


def daily_maximum_kept(rules: RuleSet, proposed: Period, work: Sequence[Period]) -> bool:
    """ArbZG § 3: no more than the configured hours of work on any local calendar day the
    proposal touches (a night shift counts on each side of midnight for its hours there)."""
    everything = [*work, proposed]
    day = proposed.start.astimezone(rules.zone).date()
    last = proposed.end.astimezone(rules.zone).date()
    while day <= last:
        start = datetime.combine(day, time(0), rules.zone)
        whole = Period(start, datetime.combine(day + timedelta(days=1), time(0), rules.zone))
        if _worked_within(whole, everything) > rules.max_daily:
            return False
        day += timedelta(days=1)
    return True


def working_days(rules: RuleSet, work: Iterable[Period]) -> set[date]:
    """The local days a person works: a night shift counts for the day it starts on."""
    return {period.start.astimezone(rules.zone).date() for period in work}


def consecutive_days_kept(rules: RuleSet, proposed: Period, work: Iterable[Period]) -> bool:
    """No run of working days longer than the site's configured number."""
    days = working_days(rules, [*work, proposed])
    day = proposed.start.astimezone(rules.zone).date()
    run = 1
    before = day - timedelta(days=1)
    while before in days:
        run, before = run + 1, before - timedelta(days=1)
    after = day + timedelta(days=1)
    while after in days:
        run, after = run + 1, after + timedelta(days=1)
    return run <= rules.max_consecutive_days


def broken_rules(rules: RuleSet, roster: Roster, proposed: Period, required: str) -> list[Rule]:
    """Every rule the proposal would break for this person, in the order above; empty when
    it may be offered."""
    broken: list[Rule] = []
    if not covers(rules, roster.qualification, required):
        broken.append(Rule.QUALIFICATION)
    if overlaps(proposed, (*roster.work, *roster.absences)):
        broken.append(Rule.OVERLAP)
    if not rest_kept(rules, proposed, roster.work):
        broken.append(Rule.REST)
    if not daily_maximum_kept(rules, proposed, roster.work):
        broken.append(Rule.DAILY_MAXIMUM)
    if not consecutive_days_kept(rules, proposed, roster.work):
        broken.append(Rule.CONSECUTIVE_DAYS)
    return broken


def broken_together(
    rules: RuleSet, roster: Roster, proposed: Sequence[tuple[Period, str]]
) -> list[Rule]:
    """The rules broken when one person takes all of `proposed` at once: each checked
    against the roster plus the others (so two shifts too close together are caught even
    though each alone is fine)."""
    broken: list[Rule] = []
    for index, (period, required) in enumerate(proposed):
        others = [p for i, (p, _) in enumerate(proposed) if i != index]
        for rule in broken_rules(rules, roster.with_work(*others), period, required):
            if rule not in broken:
                broken.append(rule)
    return broken
