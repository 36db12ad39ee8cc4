"""The chef–leader dialogue (LUS): a yearly cycle, one dialogue per leader, and its plan.

The profile's 39 statements are adapted to each leader (importance 0–3), assessed by
the leader and by the chef apart (never averaged), and the agreement picks 1–3 focus
statements with development actions. On AGREED the whole agreement is frozen as a
snapshot; reopening adds snapshots and never deletes one. The rules live in
``catalogue/services/dialogue/``.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models.base import Base, Timestamped, enum_type
from catalogue.models.course import CourseRun
from catalogue.models.enrolment import Enrolment
from catalogue.models.person import Person
from catalogue.models.profile import CompetenceProfile, CompetenceStatement


class CycleStatus(StrEnum):
    DRAFT = "DRAFT"
    OPEN = "OPEN"
    CLOSED = "CLOSED"
    ARCHIVED = "ARCHIVED"


class PreparationVisibility(StrEnum):
    """When one side sees the other's preparation (Totara's three options)."""

    AT_ONCE = "AT_ONCE"
    AFTER_OWN_SUBMISSION = "AFTER_OWN_SUBMISSION"
    AFTER_BOTH_SUBMITTED = "AFTER_BOTH_SUBMITTED"


class DialogueStatus(StrEnum):
    INVITED = "INVITED"
    PREPARING = "PREPARING"
    READY = "READY"
    HELD = "HELD"
    AGREED = "AGREED"
    FOLLOWED_UP = "FOLLOWED_UP"
    CLOSED = "CLOSED"
    REOPENED = "REOPENED"


class DialogueSide(StrEnum):
    """Whose words a row holds: the starting point, the leader's, the chef's, or agreed."""

    START = "START"
    LEADER = "LEADER"
    CHEF = "CHEF"
    AGREED = "AGREED"


class ActionKind(StrEnum):
    COURSE = "COURSE"
    MENTORING = "MENTORING"
    NETWORK = "NETWORK"
    ON_THE_JOB = "ON_THE_JOB"
    READING = "READING"
    OTHER = "OTHER"


class ActionStatus(StrEnum):
    PLANNED = "PLANNED"
    BOOKED = "BOOKED"
    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"
    CANCELLED = "CANCELLED"
    NOT_DONE = "NOT_DONE"


#: The default scale's labels, lowest first; "ved ikke" is no score (``score`` NULL).
DEFAULT_SCALE_LABELS = (
    "i meget lav grad",
    "i lav grad",
    "i nogen grad",
    "i høj grad",
    "i meget høj grad",
)


class DialogueCycle(Timestamped, Base):
    """A yearly round set up by HR, on one profile version, with its own scale and rules."""

    __tablename__ = "dialogue_cycle"
    __table_args__ = (
        CheckConstraint("scale_min < scale_max", name="scale_ordered"),
        CheckConstraint("opens_on <= closes_on", name="dates_ordered"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(index=True)
    title: Mapped[str] = mapped_column(String(200))
    profile_id: Mapped[int] = mapped_column(ForeignKey("competence_profile.id"))
    status: Mapped[CycleStatus] = mapped_column(
        enum_type(CycleStatus, "dialogue_cycle_status"), default=CycleStatus.DRAFT
    )
    opens_on: Mapped[date]
    preparation_due: Mapped[date]
    meeting_from: Mapped[date]
    meeting_until: Mapped[date]
    closes_on: Mapped[date]
    visibility: Mapped[PreparationVisibility] = mapped_column(
        enum_type(PreparationVisibility, "preparation_visibility"),
        default=PreparationVisibility.AFTER_BOTH_SUBMITTED,
    )
    #: HR may open a single dialogue of this cycle (audited); off by default.
    hr_may_read_dialogues: Mapped[bool] = mapped_column(default=False)
    scale_min: Mapped[int] = mapped_column(default=1)
    scale_max: Mapped[int] = mapped_column(default=5)
    #: One Danish label per step, lowest first.
    scale_labels: Mapped[list[str]] = mapped_column(
        JSON, default=lambda: list(DEFAULT_SCALE_LABELS)
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    profile: Mapped[CompetenceProfile] = relationship()


class RoleProfile(Timestamped, Base):
    """A leadership function (dagtilbudsleder, afdelingsleder) with default importances."""

    __tablename__ = "role_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    #: Statement key (``K1.5``) -> importance 0–3; keys, so a new profile version keeps them.
    importances: Mapped[dict[str, int]] = mapped_column(JSON, default=dict)


class Dialogue(Timestamped, Base):
    """One leader's dialogue with their chef in one cycle."""

    __tablename__ = "dialogue"
    __table_args__ = (
        UniqueConstraint("cycle_id", "leader_id"),
        CheckConstraint("leader_id <> chef_id", name="not_own_chef"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("dialogue_cycle.id"), index=True)
    leader_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    chef_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    status: Mapped[DialogueStatus] = mapped_column(
        enum_type(DialogueStatus, "dialogue_status"), default=DialogueStatus.INVITED, index=True
    )
    previous_dialogue_id: Mapped[int | None] = mapped_column(ForeignKey("dialogue.id"))
    role_profile_id: Mapped[int | None] = mapped_column(ForeignKey("role_profile.id"))
    meeting_at: Mapped[datetime | None]
    meeting_place: Mapped[str] = mapped_column(String(200), default="")
    leader_submitted_at: Mapped[datetime | None]
    chef_submitted_at: Mapped[datetime | None]
    held_at: Mapped[datetime | None]
    summary: Mapped[str] = mapped_column(Text, default="")
    leader_confirmed_at: Mapped[datetime | None]
    chef_confirmed_at: Mapped[datetime | None]
    agreed_at: Mapped[datetime | None]
    follow_up_note: Mapped[str] = mapped_column(Text, default="")
    followed_up_at: Mapped[datetime | None]
    reopen_reason: Mapped[str | None] = mapped_column(Text)

    cycle: Mapped[DialogueCycle] = relationship()
    leader: Mapped[Person] = relationship(foreign_keys=[leader_id])
    chef: Mapped[Person] = relationship(foreign_keys=[chef_id])


class DialogueAdaptation(Base):
    """One side's importance of one statement for this leader (0 ikke relevant … 3 afgørende)."""

    __tablename__ = "dialogue_adaptation"
    __table_args__ = (
        UniqueConstraint("dialogue_id", "statement_id", "side"),
        CheckConstraint("importance BETWEEN 0 AND 3", name="importance_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogue.id", ondelete="CASCADE"), index=True
    )
    statement_id: Mapped[int] = mapped_column(ForeignKey("competence_statement.id"))
    side: Mapped[DialogueSide] = mapped_column(enum_type(DialogueSide, "dialogue_side"))
    importance: Mapped[int]
    rationale: Mapped[str] = mapped_column(Text, default="")

    statement: Mapped[CompetenceStatement] = relationship()


class DialogueAssessment(Base):
    """The leader's self-assessment or the chef's assessment of one statement.

    ``score`` NULL is "ved ikke", which never counts.
    """

    __tablename__ = "dialogue_assessment"
    __table_args__ = (UniqueConstraint("dialogue_id", "statement_id", "side"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogue.id", ondelete="CASCADE"), index=True
    )
    statement_id: Mapped[int] = mapped_column(ForeignKey("competence_statement.id"))
    side: Mapped[DialogueSide] = mapped_column(enum_type(DialogueSide, "dialogue_side"))
    score: Mapped[int | None]
    comment: Mapped[str] = mapped_column(Text, default="")

    statement: Mapped[CompetenceStatement] = relationship()


class DialogueFocus(Base):
    """An agreed focus statement: the goal in the leader's words and how success is seen."""

    __tablename__ = "dialogue_focus"
    __table_args__ = (
        UniqueConstraint("dialogue_id", "statement_id"),
        CheckConstraint("position BETWEEN 1 AND 3", name="position_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogue.id", ondelete="CASCADE"), index=True
    )
    statement_id: Mapped[int] = mapped_column(ForeignKey("competence_statement.id"))
    position: Mapped[int]
    goal: Mapped[str] = mapped_column(Text)
    success_criteria: Mapped[str] = mapped_column(Text)

    statement: Mapped[CompetenceStatement] = relationship()
    actions: Mapped[list[DevelopmentAction]] = relationship(
        back_populates="focus", order_by="DevelopmentAction.id", cascade="all, delete-orphan"
    )


class DevelopmentAction(Timestamped, Base):
    """What the leader will do for a focus: a course run (booked as an enrolment) or other."""

    __tablename__ = "development_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    focus_id: Mapped[int] = mapped_column(
        ForeignKey("dialogue_focus.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[ActionKind] = mapped_column(enum_type(ActionKind, "development_action_kind"))
    description: Mapped[str] = mapped_column(Text)
    course_run_id: Mapped[int | None] = mapped_column(ForeignKey("course_run.id"))
    enrolment_id: Mapped[int | None] = mapped_column(ForeignKey("enrolment.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    starts_on: Mapped[date | None]
    due_on: Mapped[date | None]
    status: Mapped[ActionStatus] = mapped_column(
        enum_type(ActionStatus, "development_action_status"), default=ActionStatus.PLANNED
    )
    status_reason: Mapped[str | None] = mapped_column(Text)

    focus: Mapped[DialogueFocus] = relationship(back_populates="actions")
    course_run: Mapped[CourseRun | None] = relationship()
    enrolment: Mapped[Enrolment | None] = relationship()


class DialogueSnapshot(Base):
    """The agreement as it stood when both confirmed; never changed or deleted."""

    __tablename__ = "dialogue_snapshot"
    __table_args__ = (UniqueConstraint("dialogue_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(
        ForeignKey("dialogue.id", ondelete="CASCADE"), index=True
    )
    number: Mapped[int]
    taken_at: Mapped[datetime]
    content: Mapped[dict[str, Any]] = mapped_column(JSON)


class DialogueReminderSent(Base):
    """That one reminder went out: the unique key makes a retried task send it only once."""

    __tablename__ = "dialogue_reminder_sent"
    __table_args__ = (UniqueConstraint("dialogue_id", "kind", "subject_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dialogue_id: Mapped[int] = mapped_column(ForeignKey("dialogue.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(40))
    #: What within the dialogue it is about (an action id), or "" for the dialogue itself.
    subject_key: Mapped[str] = mapped_column(String(40), default="")
    recipient: Mapped[str] = mapped_column(String(320))
    sent_at: Mapped[datetime]
