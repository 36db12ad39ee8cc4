"""Leadership evaluations (360): rounds, evaluatees, invitations and untraceable answers.

The anonymity of the answers is a property of these tables, not of the code that reads
them: ``evaluation_answer_set``, ``evaluation_rating`` and ``evaluation_comment`` have no
column that refers to a respondent or an invitation, their ids are random UUIDs (no
insertion order to line up with ``evaluation_invitation_answered``) and they carry no
timestamps. While a round is open, an answer set and a comment set each hold a
``change_key``: the SHA-256 of the respondent's link token with a purpose label, so the
respondent (who alone holds the token) can come back and change the answers. The token
itself is never stored, and closing the round erases every ``change_key``, so from the
moment results exist nothing is left that could tie an answer to a link.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    String,
    Table,
    Text,
    UniqueConstraint,
    Uuid,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models.base import Base, Timestamped, enum_type
from catalogue.models.person import Person
from catalogue.models.profile import CompetenceProfile


class RoundStatus(StrEnum):
    DRAFT = "DRAFT"
    OPEN = "OPEN"
    CLOSED = "CLOSED"
    RELEASED = "RELEASED"
    ARCHIVED = "ARCHIVED"


class RespondentGroup(StrEnum):
    SELF = "SELF"
    CHEF = "CHEF"
    PEER = "PEER"
    EMPLOYEE = "EMPLOYEE"
    SUBORDINATE_LEADER = "SUBORDINATE_LEADER"


class AnswerChoice(StrEnum):
    """A score on the round's scale, or one of the two answers that never count."""

    SCORE = "SCORE"
    DONT_KNOW = "DONT_KNOW"
    DECLINED = "DECLINED"


class InvitationStatus(StrEnum):
    """A peer proposed by the leader waits for the chef; everyone else is ACTIVE at once."""

    PROPOSED = "PROPOSED"
    ACTIVE = "ACTIVE"
    REJECTED = "REJECTED"


round_statements = Table(
    "evaluation_round_statement",
    Base.metadata,
    Column("round_id", ForeignKey("evaluation_round.id", ondelete="CASCADE"), primary_key=True),
    Column("statement_id", ForeignKey("competence_statement.id"), primary_key=True),
)


class EvaluationRound(Timestamped, Base):
    """One evaluation period set up by HR: what is asked, when, and who reads the reports."""

    __tablename__ = "evaluation_round"
    __table_args__ = (
        CheckConstraint("scale_max BETWEEN 3 AND 10", name="scale_max_range"),
        CheckConstraint("employee_threshold >= 3", name="employee_threshold_min"),
        CheckConstraint("peer_threshold >= 3", name="peer_threshold_min"),
        CheckConstraint(
            "subordinate_leader_threshold >= 3", name="subordinate_leader_threshold_min"
        ),
        CheckConstraint("chef_levels BETWEEN 0 AND 3", name="chef_levels_range"),
        CheckConstraint("chef_delay_days >= 0", name="chef_delay_days_min"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    profile_id: Mapped[int] = mapped_column(ForeignKey("competence_profile.id"), index=True)
    status: Mapped[RoundStatus] = mapped_column(
        enum_type(RoundStatus, "evaluation_round_status"), default=RoundStatus.DRAFT
    )
    opens_on: Mapped[date]
    closes_at: Mapped[datetime]
    #: Days before ``closes_at`` on which those who have not answered are reminded.
    reminder_days: Mapped[list[int]] = mapped_column(JSON, default=list)
    scale_max: Mapped[int] = mapped_column(default=5)
    employee_threshold: Mapped[int] = mapped_column(default=5)
    peer_threshold: Mapped[int] = mapped_column(default=3)
    subordinate_leader_threshold: Mapped[int] = mapped_column(default=3)
    #: Named peers are not an anonymous group: no threshold, never merged into "øvrige".
    peers_named: Mapped[bool] = mapped_column(default=False)
    #: How many chefs up the manager line read the report (1: the leader's own chef).
    chef_levels: Mapped[int] = mapped_column(default=1)
    #: Days after release before the chefs see the report (the leader sees it first).
    chef_delay_days: Mapped[int] = mapped_column(default=7)
    released_at: Mapped[datetime | None]
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))

    profile: Mapped[CompetenceProfile] = relationship()
    evaluatees: Mapped[list[Evaluatee]] = relationship(
        back_populates="round", order_by="Evaluatee.id", cascade="all, delete-orphan"
    )


class Evaluatee(Base):
    """A leader evaluated in a round."""

    __tablename__ = "evaluatee"
    __table_args__ = (UniqueConstraint("round_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("evaluation_round.id", ondelete="CASCADE"))
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)

    round: Mapped[EvaluationRound] = relationship(back_populates="evaluatees")
    person: Mapped[Person] = relationship()


class EvaluationInvitation(Base):
    """Who is asked to answer about an evaluatee, in which group; the token only as a hash.

    ``person_id`` is set when the respondent is a person in the catalogue (the leader,
    the chef, a peer leader); employees are often only an e-mail address.
    """

    __tablename__ = "evaluation_invitation"
    __table_args__ = (UniqueConstraint("evaluatee_id", "email"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    evaluatee_id: Mapped[int] = mapped_column(
        ForeignKey("evaluatee.id", ondelete="CASCADE"), index=True
    )
    group: Mapped[RespondentGroup] = mapped_column(enum_type(RespondentGroup, "respondent_group"))
    email: Mapped[str] = mapped_column(String(320))
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    status: Mapped[InvitationStatus] = mapped_column(
        enum_type(InvitationStatus, "evaluation_invitation_status"),
        default=InvitationStatus.ACTIVE,
    )
    #: SHA-256 of the link token (hex); the token itself exists only in the e-mail.
    token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))

    evaluatee: Mapped[Evaluatee] = relationship()


class EvaluationInvitationAnswered(Base):
    """Only that an invitation has been answered: for reminders and response counts.

    No timestamp and nothing about the answers, so it cannot be lined up with them.
    """

    __tablename__ = "evaluation_invitation_answered"

    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_invitation.id", ondelete="CASCADE"), primary_key=True
    )


class EvaluationInvitationSent(Base):
    """One e-mail sent for an invitation (the invitation, or the reminder of one day).

    The unique key makes sending idempotent: a retried task finds the row and sends nothing.
    """

    __tablename__ = "evaluation_invitation_sent"
    __table_args__ = (UniqueConstraint("invitation_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    invitation_id: Mapped[int] = mapped_column(
        ForeignKey("evaluation_invitation.id", ondelete="CASCADE")
    )
    #: ``INVITATION`` or ``REMINDER:<days before close>``.
    kind: Mapped[str] = mapped_column(String(40))
    sent_at: Mapped[datetime]


class EvaluationAnswerSet(Base):
    """One respondent's ratings about one evaluatee, with no link back to the respondent."""

    __tablename__ = "evaluation_answer_set"
    __table_args__ = (UniqueConstraint("change_key"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    evaluatee_id: Mapped[int] = mapped_column(
        ForeignKey("evaluatee.id", ondelete="CASCADE"), index=True
    )
    group: Mapped[RespondentGroup] = mapped_column(enum_type(RespondentGroup, "respondent_group"))
    #: SHA-256 of "ratings:" + token while the round is open; NULL from close on.
    change_key: Mapped[str | None] = mapped_column(String(64))

    ratings: Mapped[list[EvaluationRating]] = relationship(
        back_populates="answer_set", cascade="all, delete-orphan"
    )


class EvaluationRating(Base):
    """One answer to one statement: a score, "ved ikke" or "ønsker ikke at svare"."""

    __tablename__ = "evaluation_rating"
    __table_args__ = (
        UniqueConstraint("answer_set_id", "statement_id"),
        CheckConstraint("(choice = 'SCORE') = (score IS NOT NULL)", name="score_only_for_score"),
    )

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    answer_set_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("evaluation_answer_set.id", ondelete="CASCADE"), index=True
    )
    statement_id: Mapped[int] = mapped_column(ForeignKey("competence_statement.id"))
    choice: Mapped[AnswerChoice] = mapped_column(enum_type(AnswerChoice, "answer_choice"))
    score: Mapped[int | None]

    answer_set: Mapped[EvaluationAnswerSet] = relationship(back_populates="ratings")


class EvaluationComment(Base):
    """An open comment on a field, stored apart from the ratings: nothing joins the two."""

    __tablename__ = "evaluation_comment"
    __table_args__ = (UniqueConstraint("change_key", "field_id"),)

    id: Mapped[uuid.UUID] = mapped_column(Uuid, primary_key=True, default=uuid.uuid4)
    evaluatee_id: Mapped[int] = mapped_column(
        ForeignKey("evaluatee.id", ondelete="CASCADE"), index=True
    )
    group: Mapped[RespondentGroup] = mapped_column(enum_type(RespondentGroup, "respondent_group"))
    field_id: Mapped[int] = mapped_column(ForeignKey("competence_field.id"))
    text: Mapped[str] = mapped_column(Text)
    #: SHA-256 of "comments:" + token while open (not the ratings' key); NULL from close on.
    change_key: Mapped[str | None] = mapped_column(String(64))
