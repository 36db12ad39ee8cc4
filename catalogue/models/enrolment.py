"""Enrolments in course runs and the completions recorded against activities."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models.base import Base, Timestamped, enum_type
from catalogue.models.course import Activity, CourseRun
from catalogue.models.person import Person
from catalogue.models.profile import CompetenceStatement


class EnrolmentStatus(StrEnum):
    REQUESTED = "REQUESTED"
    APPROVED = "APPROVED"
    ENROLLED = "ENROLLED"
    WAITLISTED = "WAITLISTED"
    IN_PROGRESS = "IN_PROGRESS"
    COMPLETED = "COMPLETED"
    WITHDRAWN = "WITHDRAWN"
    REJECTED = "REJECTED"
    FAILED = "FAILED"


class ChangeSource(StrEnum):
    """Where a change came from: the leader's own UI, the LMS, or HR."""

    UI = "UI"
    LMS = "LMS"
    HR = "HR"


enrolment_focus = Table(
    "enrolment_focus_statement",
    Base.metadata,
    Column("enrolment_id", ForeignKey("enrolment.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "statement_id", ForeignKey("competence_statement.id", ondelete="CASCADE"), primary_key=True
    ),
)


class Enrolment(Timestamped, Base):
    """One person's place (or request, or waiting-list position) on one course run."""

    __tablename__ = "enrolment"
    __table_args__ = (
        UniqueConstraint("person_id", "course_run_id"),
        CheckConstraint(
            "waitlist_position IS NULL OR waitlist_position > 0", name="waitlist_position_positive"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    course_run_id: Mapped[int] = mapped_column(ForeignKey("course_run.id"), index=True)
    status: Mapped[EnrolmentStatus] = mapped_column(
        enum_type(EnrolmentStatus, "enrolment_status"), index=True
    )
    source: Mapped[ChangeSource] = mapped_column(enum_type(ChangeSource, "change_source"))
    motivation: Mapped[str] = mapped_column(Text, default="")
    waitlist_position: Mapped[int | None]
    requested_at: Mapped[datetime]
    completed_at: Mapped[datetime | None]
    result: Mapped[str | None] = mapped_column(String(100))

    person: Mapped[Person] = relationship()
    course_run: Mapped[CourseRun] = relationship()
    focus_statements: Mapped[list[CompetenceStatement]] = relationship(secondary=enrolment_focus)


class ActivityCompletion(Timestamped, Base):
    """That a person completed an activity; recorded once, whatever the source."""

    __tablename__ = "activity_completion"
    __table_args__ = (UniqueConstraint("person_id", "activity_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("activity.id"), index=True)
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolment.id"), index=True)
    completed_at: Mapped[datetime]
    result: Mapped[str | None] = mapped_column(String(100))
    evidence_url: Mapped[str | None] = mapped_column(String(2000))
    source: Mapped[ChangeSource] = mapped_column(enum_type(ChangeSource, "change_source"))

    person: Mapped[Person] = relationship()
    activity: Mapped[Activity] = relationship()
