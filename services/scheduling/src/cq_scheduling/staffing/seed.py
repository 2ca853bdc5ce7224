"""Demo staffing for `make run` (demo_data.toml's [[staffing]]): a site's rules, its staff
members and a two-week shift plan from the service's today.

Idempotent: member and shift ids are derived from (site, key) and (site, unit, day, shift,
place), so a restart (or two processes at once, serialized by the site's staffing lock)
adds only the days that are new. The plan is drawn greedily with the same rules as every
proposal, from the unit's own people, keeping each within their contracted hours a week, so
the pool has room left to cover a gap."""

import uuid
from dataclasses import replace
from datetime import date, time, timedelta

from pydantic import BaseModel, ConfigDict, EmailStr, Field
from sqlalchemy import text
from sqlalchemy.dialects.postgresql import insert
from sqlmodel.ext.asyncio.session import AsyncSession

from cq_scheduling.staffing import events, repository
from cq_scheduling.staffing.candidates import Gap, Person, Worked, candidates
from cq_scheduling.staffing.models import Shift, ShiftStatus, StaffMember
from cq_scheduling.staffing.rules import Period
from cq_scheduling.staffing.settings import of_site
from cq_shared.contracts import Language
from cq_shared.service import ServiceContext
from cq_shared.sites import Site

IDS = uuid.UUID("6a1c8d0e-5b7f-4f3a-9e21-0c4d2b8f7a13")  # namespace of the demo staffing ids


class DemoShift(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str  # Früh, Spät, Nacht
    starts: time
    ends: time  # before `starts`: the next day (a night shift)
    qualification: str
    count: int = Field(default=1, ge=1, le=10)


class DemoUnit(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    shifts: list[DemoShift] = []


class DemoMember(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    key: str
    given_name: str
    family_name: str
    unit: str
    qualification: str
    hours: float = Field(gt=0, le=48)
    pool: list[str] = []
    language: Language = Language.DE
    email: EmailStr | None = None
    unit_lead: bool = False


class DemoStaffing(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    site: str
    qualifications: list[str]
    min_rest_hours: int = Field(ge=10, le=24)
    max_daily_hours: int = Field(ge=1, le=10)
    max_consecutive_days: int = Field(ge=1, le=12)
    offer_timeout_minutes: int = Field(ge=5, le=10080)
    days: int = Field(ge=1, le=28)
    units: list[DemoUnit]
    members: list[DemoMember]

    def member_id(self, key: str) -> uuid.UUID:
        return uuid.uuid5(IDS, f"{self.site}/{key}")


_RULES = text(
    "INSERT INTO staffing_rules (site, qualifications, min_rest_minutes, max_daily_minutes, "
    "max_consecutive_days, offer_timeout_minutes) VALUES (:site, :qualifications, :rest, "
    ":daily, :days, :timeout) ON CONFLICT (site) DO UPDATE SET "
    "qualifications = excluded.qualifications, min_rest_minutes = excluded.min_rest_minutes, "
    "max_daily_minutes = excluded.max_daily_minutes, "
    "max_consecutive_days = excluded.max_consecutive_days, "
    "offer_timeout_minutes = excluded.offer_timeout_minutes"
)


async def seed_staffing(session: AsyncSession, context: ServiceContext, demo: DemoStaffing) -> None:
    site = context.sites[demo.site]
    await repository.lock_site(session, demo.site)
    await session.execute(
        _RULES,
        {
            "site": demo.site,
            "qualifications": demo.qualifications,
            "rest": demo.min_rest_hours * 60,
            "daily": demo.max_daily_hours * 60,
            "days": demo.max_consecutive_days,
            "timeout": demo.offer_timeout_minutes,
        },
    )
    await _members(session, context, demo)
    await _plan(session, context, demo, site)


async def _members(session: AsyncSession, context: ServiceContext, demo: DemoStaffing) -> None:
    """Upsert the members; tell notifications of those new or changed (and only those)."""
    rows = [
        {
            "id": demo.member_id(m.key),
            "site": demo.site,
            "given_name": m.given_name,
            "family_name": m.family_name,
            "unit": m.unit,
            "qualification": m.qualification,
            "contracted_hours_per_week": m.hours,
            "pool": m.pool,
            "language": m.language.value,
            "email": m.email,
            "unit_lead": m.unit_lead,
        }
        for m in demo.members
    ]
    table = StaffMember.__table__  # type: ignore[attr-defined]
    statement = insert(table).values(rows)
    changed = {c: statement.excluded[c] for c in rows[0] if c != "id"}
    upsert = statement.on_conflict_do_update(
        index_elements=["id"],
        set_=changed,
        where=table.c.site.is_distinct_from(statement.excluded.site)
        | text(
            "(staff_members.given_name, staff_members.family_name, staff_members.unit, "
            "staff_members.qualification, staff_members.contracted_hours_per_week, "
            "staff_members.pool, staff_members.language, staff_members.email, "
            "staff_members.unit_lead) IS DISTINCT FROM (excluded.given_name, "
            "excluded.family_name, excluded.unit, excluded.qualification, "
            "excluded.contracted_hours_per_week, excluded.pool, excluded.language, "
            "excluded.email, excluded.unit_lead)"
        ),
    ).returning(table.c.id)
    touched = {row[0] for row in (await session.execute(upsert)).all()}
    if touched:
        members = [await repository.member(session, staff_id) for staff_id in touched]
        await events.register_staff(session, context.writer, [m for m in members if m])


def _periods(
    demo: DemoStaffing, site: Site, first: date
) -> list[tuple[uuid.UUID, str, DemoShift, Period]]:
    planned = []
    for offset in range(demo.days):
        day = first + timedelta(days=offset)
        for unit in demo.units:
            for shift in unit.shifts:
                start = site.at(day, shift.starts)
                end_day = day + timedelta(days=1) if shift.ends <= shift.starts else day
                period = Period(start, site.at(end_day, shift.ends))
                for place in range(shift.count):
                    key = f"{demo.site}/{unit.name}/{day}/{shift.name}/{place}"
                    planned.append((uuid.uuid5(IDS, key), unit.name, shift, period))
    return planned


def _week_hours(person: Person, period: Period, site: Site) -> float:
    monday = period.start.astimezone(site.zone).date()
    monday -= timedelta(days=monday.weekday())
    week = Period(site.at(monday, time(0)), site.at(monday + timedelta(days=7), time(0)))
    return sum(
        (min(w.period.end, week.end) - max(w.period.start, week.start)).total_seconds() / 3600
        for w in person.worked
        if w.period.overlaps(week)
    )


async def _plan(
    session: AsyncSession, context: ServiceContext, demo: DemoStaffing, site: Site
) -> None:
    today = site.today(context.clock.now())
    planned = _periods(demo, site, today)
    existing = set(
        (
            await session.execute(
                text("SELECT id FROM shifts WHERE id = ANY(:ids)"),
                {"ids": [shift_id for shift_id, *_ in planned]},
            )
        ).scalars()
    )
    new = [p for p in planned if p[0] not in existing]
    if not new:
        return
    staffing = await of_site(session, demo.site, site)
    window = repository.planning_window([p[3] for p in new], staffing.rules.max_consecutive_days)
    people = {p.staff_id: p for p in await repository.people(session, demo.site, window)}
    hours = {demo.member_id(m.key): m.hours for m in demo.members}
    for shift_id, unit, template, period in new:
        own = [p for p in people.values() if p.unit == unit]
        gap = Gap(shift_id, unit, period, template.qualification)
        length = period.length.total_seconds() / 3600
        chosen = next(
            (
                c
                for c in candidates(staffing.rules, own, gap)
                if _week_hours(people[c.staff_id], period, site) + length <= hours[c.staff_id]
            ),
            None,
        )
        staff_id = None if chosen is None else chosen.staff_id
        session.add(
            Shift(
                id=shift_id,
                site=demo.site,
                unit=unit,
                starts_at=period.start,
                ends_at=period.end,
                required_qualification=template.qualification,
                staff_id=staff_id,
                status=ShiftStatus.UNCOVERED if staff_id is None else ShiftStatus.ASSIGNED,
            )
        )
        if staff_id is not None:
            person = people[staff_id]
            people[staff_id] = replace(person, worked=(*person.worked, Worked(unit, period)))
    await session.flush()
