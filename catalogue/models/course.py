"""Courses, their activities and their runs (hold)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models.base import Base, Timestamped, enum_type


class CourseKind(StrEnum):
    EDUCATION = "EDUCATION"
    SHORT_COURSE = "SHORT_COURSE"
    E_LEARNING = "E_LEARNING"
    NETWORK = "NETWORK"
    MENTORING = "MENTORING"
    COACHING = "COACHING"
    ON_THE_JOB = "ON_THE_JOB"
    EVENT = "EVENT"


class CourseStatus(StrEnum):
    DRAFT = "DRAFT"
    PUBLISHED = "PUBLISHED"
    ARCHIVED = "ARCHIVED"


class ActivityKind(StrEnum):
    MODULE = "MODULE"
    SESSION = "SESSION"
    E_LEARNING = "E_LEARNING"
    ASSIGNMENT = "ASSIGNMENT"
    MEETING = "MEETING"
    EXAM = "EXAM"


class Course(Timestamped, Base):
    """A course or other offer in the catalogue; archived ones stay as tombstones."""

    __tablename__ = "course"
    __table_args__ = (
        CheckConstraint("duration_hours IS NULL OR duration_hours > 0", name="duration_positive"),
        CheckConstraint("ects IS NULL OR ects >= 0", name="ects_non_negative"),
        CheckConstraint("price_dkk IS NULL OR price_dkk >= 0", name="price_non_negative"),
        CheckConstraint("length(title) > 0", name="title_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    summary: Mapped[str] = mapped_column(Text, default="")
    kind: Mapped[CourseKind] = mapped_column(enum_type(CourseKind, "course_kind"))
    status: Mapped[CourseStatus] = mapped_column(
        enum_type(CourseStatus, "course_status"), default=CourseStatus.DRAFT, index=True
    )
    provider: Mapped[str] = mapped_column(String(200), default="")
    language: Mapped[str] = mapped_column(String(8), default="da")
    duration_hours: Mapped[float | None]
    ects: Mapped[float | None]
    price_dkk: Mapped[int | None]
    audience: Mapped[str] = mapped_column(Text, default="")
    lms_course_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    published_at: Mapped[datetime | None]
    archived_at: Mapped[datetime | None]

    activities: Mapped[list[Activity]] = relationship(
        back_populates="course", order_by="Activity.position", cascade="all, delete-orphan"
    )
    runs: Mapped[list[CourseRun]] = relationship(
        back_populates="course", order_by="CourseRun.starts_at", cascade="all, delete-orphan"
    )


class Activity(Timestamped, Base):
    """A module, session or e-learning unit of a course; completion is tracked per activity."""

    __tablename__ = "activity"
    __table_args__ = (
        CheckConstraint("duration_hours IS NULL OR duration_hours > 0", name="duration_positive"),
        CheckConstraint("length(title) > 0", name="title_not_empty"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    title: Mapped[str] = mapped_column(String(300))
    kind: Mapped[ActivityKind] = mapped_column(enum_type(ActivityKind, "activity_kind"))
    position: Mapped[int]
    required: Mapped[bool] = mapped_column(default=True)
    duration_hours: Mapped[float | None]
    lms_module_id: Mapped[str | None] = mapped_column(String(64), unique=True)
    archived_at: Mapped[datetime | None]

    course: Mapped[Course] = relationship(back_populates="activities")


class CourseRun(Timestamped, Base):
    """A dated run (hold) of a course, with seats, deadline and approval rule."""

    __tablename__ = "course_run"
    __table_args__ = (
        CheckConstraint("ends_at >= starts_at", name="ends_after_start"),
        CheckConstraint("capacity IS NULL OR capacity >= 0", name="capacity_non_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(64), unique=True)
    starts_at: Mapped[datetime] = mapped_column(index=True)
    ends_at: Mapped[datetime]
    location: Mapped[str | None] = mapped_column(String(300))
    online: Mapped[bool] = mapped_column(default=False)
    capacity: Mapped[int | None]
    enrolment_deadline: Mapped[datetime | None]
    approval_required: Mapped[bool] = mapped_column(default=False)
    cancelled_at: Mapped[datetime | None]

    course: Mapped[Course] = relationship(back_populates="runs")
    #: Every session the run has had, removed ones (tombstones) too; ``sessions`` is the live set.
    all_sessions: Mapped[list[CourseRunSession]] = relationship(
        back_populates="run",
        order_by="[CourseRunSession.starts_at, CourseRunSession.id]",
        cascade="all, delete-orphan",
    )

    @property
    def sessions(self) -> list[CourseRunSession]:
        """The run's live sessions by start: what is taught, and what calendars block."""
        return [s for s in self.all_sessions if s.removed_at is None]

    @property
    def removed_sessions(self) -> list[CourseRunSession]:
        """Sessions HR removed, kept so a calendar that has them hears they are cancelled."""
        return [s for s in self.all_sessions if s.removed_at is not None]


class CourseRunSession(Timestamped, Base):
    """One teaching day (or half day) of a run, so a calendar blocks the hours actually taught.

    A three-month run is a handful of sessions, not one event from its first day to
    its last. A session lies within its run's dates and does not overlap another of
    the run's sessions (``services/run_admin.py``); its id is part of the calendar
    entry's UID, so editing a session updates the leader's calendar entry.

    A removed session is not deleted but kept as a tombstone (``removed_at``): a leader
    who imported the calendar file has it, and the next file must say it is cancelled
    under the same UID with a higher ``sequence`` (RFC 5545), which counts the changes
    a calendar must take over (times, place, removal).
    """

    __tablename__ = "course_run_session"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_run_id: Mapped[int] = mapped_column(
        ForeignKey("course_run.id", ondelete="CASCADE"), index=True
    )
    starts_at: Mapped[datetime]
    ends_at: Mapped[datetime]
    title: Mapped[str | None] = mapped_column(String(300))
    location: Mapped[str | None] = mapped_column(String(300))
    removed_at: Mapped[datetime | None]
    sequence: Mapped[int] = mapped_column(default=0, server_default="0")

    run: Mapped[CourseRun] = relationship(back_populates="all_sessions")
