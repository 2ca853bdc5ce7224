"""Courses and their sessions. A course's places are a capacity pool of the waiting list
(the pool's id is the course's), so its capacity, promotion policy and registrations live
there; this table holds what is only about a course."""

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, Column, DateTime, ForeignKeyConstraint
from sqlmodel import Field, SQLModel

from cq_scheduling.waitlist.models import CapacityPool  # noqa: F401 - the foreign key's target
from cq_shared.db.columns import jsonb_column, text_column, utc_datetime_column


class Course(SQLModel, table=True):
    __tablename__ = "courses"
    __table_args__ = (ForeignKeyConstraint(["id"], ["capacity_pools.id"], name="fk_courses_pool"),)

    id: uuid.UUID = Field(primary_key=True)
    site: str = Field(index=True)
    title: str
    language: str
    # The recurrence rule the sessions were expanded from, kept as given (None: a list).
    rrule: str | None = Field(default=None, sa_column=text_column(nullable=True))
    created_at: datetime = Field(sa_column=utc_datetime_column())
    # The public figures last announced on public.courses.v1: a change that leaves them as
    # they were announces nothing (decision 0015: one event per registration would let a
    # branch count them).
    announced: dict[str, Any] | None = Field(default=None, sa_column=jsonb_column(nullable=True))


class CourseSession(SQLModel, table=True):
    __tablename__ = "course_sessions"
    __table_args__ = (
        ForeignKeyConstraint(["course_id"], ["courses.id"], name="fk_course_sessions_course"),
        CheckConstraint("ends_at > starts_at", name="ck_course_sessions_period"),
    )

    course_id: uuid.UUID = Field(primary_key=True)
    starts_at: datetime = Field(
        sa_column=Column(DateTime(timezone=True), primary_key=True, nullable=False)
    )
    ends_at: datetime = Field(sa_column=utc_datetime_column())
