"""Recruitment on the profile: a vacancy's job profile, interview guides, committee and scorecards.

A JobProfile picks statements of the competence profile with a priority (at most 7
MUST), the InterviewGuide of each round is locked before the first interview so every
candidate meets the same questions, committee members score candidates 1–4 per
statement with evidence, and the calibration needs a shared note where two scores
differ by 2 or more. The hired candidate's findings start their first dialogue. The
rules live in ``catalogue/services/recruitment/``.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from catalogue.models.base import Base, Timestamped, enum_type
from catalogue.models.person import OrgUnit, Person
from catalogue.models.profile import CompetenceStatement


class JobProfileStatus(StrEnum):
    DRAFT = "DRAFT"
    APPROVED = "APPROVED"
    IN_USE = "IN_USE"
    CLOSED = "CLOSED"


class Priority(StrEnum):
    """How much a statement weighs in this job; the weights are in the calibration service."""

    MUST = "MUST"
    IMPORTANT = "IMPORTANT"
    NICE = "NICE"


class CommitteeRole(StrEnum):
    HIRING_CHEF = "HIRING_CHEF"
    HR = "HR"
    EMPLOYEE_REPRESENTATIVE = "EMPLOYEE_REPRESENTATIVE"
    UNION_REPRESENTATIVE = "UNION_REPRESENTATIVE"
    PEER = "PEER"
    OTHER = "OTHER"


class CandidateStatus(StrEnum):
    ACTIVE = "ACTIVE"
    HIRED = "HIRED"
    REJECTED = "REJECTED"
    WITHDRAWN = "WITHDRAWN"


class Recommendation(StrEnum):
    """A member's overall recommendation, and the committee's recorded one."""

    STRONG_YES = "STRONG_YES"
    YES = "YES"
    NO = "NO"
    STRONG_NO = "STRONG_NO"


class JobProfile(Timestamped, Base):
    """A vacancy's prioritised choice of statements, approved by the hiring chef."""

    __tablename__ = "job_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    position_title: Mapped[str] = mapped_column(String(200))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    profile_id: Mapped[int] = mapped_column(ForeignKey("competence_profile.id"))
    context: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[JobProfileStatus] = mapped_column(
        enum_type(JobProfileStatus, "job_profile_status"), default=JobProfileStatus.DRAFT
    )
    hiring_chef_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))
    role_profile_id: Mapped[int | None] = mapped_column(ForeignKey("role_profile.id"))
    approved_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]
    #: When the retention task removed the candidates' personal data.
    candidates_erased_at: Mapped[datetime | None]

    org_unit: Mapped[OrgUnit | None] = relationship()
    hiring_chef: Mapped[Person] = relationship(foreign_keys=[hiring_chef_id])
    statements: Mapped[list[JobProfileStatement]] = relationship(
        back_populates="job_profile",
        order_by="JobProfileStatement.position",
        cascade="all, delete-orphan",
    )


class JobProfileStatement(Base):
    """One chosen statement: its priority, the behaviour wanted in this job, and why."""

    __tablename__ = "job_profile_statement"
    __table_args__ = (UniqueConstraint("job_profile_id", "statement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_profile_id: Mapped[int] = mapped_column(
        ForeignKey("job_profile.id", ondelete="CASCADE"), index=True
    )
    statement_id: Mapped[int] = mapped_column(ForeignKey("competence_statement.id"))
    priority: Mapped[Priority] = mapped_column(enum_type(Priority, "job_profile_priority"))
    position: Mapped[int]
    behaviour: Mapped[str] = mapped_column(Text, default="")
    rationale: Mapped[str] = mapped_column(Text, default="")

    job_profile: Mapped[JobProfile] = relationship(back_populates="statements")
    statement: Mapped[CompetenceStatement] = relationship()


class InterviewQuestion(Timestamped, Base):
    """The question bank: a behavioural question for a statement, keyed by statement key."""

    __tablename__ = "interview_question"
    __table_args__ = (UniqueConstraint("statement_key", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Keys (``K1.5``), so a new profile version keeps its questions, as role profiles do.
    statement_key: Mapped[str] = mapped_column(String(20), index=True)
    position: Mapped[int]
    question: Mapped[str] = mapped_column(Text)
    probes: Mapped[list[str]] = mapped_column(JSON, default=list)
    good_evidence: Mapped[str] = mapped_column(Text, default="")
    weak_evidence: Mapped[str] = mapped_column(Text, default="")


class InterviewGuide(Timestamped, Base):
    """The questions of one interview round; locked before its first interview."""

    __tablename__ = "interview_guide"
    __table_args__ = (
        UniqueConstraint("job_profile_id", "round"),
        CheckConstraint("round BETWEEN 1 AND 2", name="round_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_profile_id: Mapped[int] = mapped_column(
        ForeignKey("job_profile.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int]
    locked_at: Mapped[datetime | None]
    locked_by_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))

    questions: Mapped[list[GuideQuestion]] = relationship(
        back_populates="guide", order_by="GuideQuestion.position", cascade="all, delete-orphan"
    )


class GuideQuestion(Base):
    """A question of a guide, copied from the bank so a later bank edit changes no guide."""

    __tablename__ = "guide_question"
    __table_args__ = (
        UniqueConstraint("guide_id", "position"),
        CheckConstraint("minutes BETWEEN 1 AND 60", name="minutes_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    guide_id: Mapped[int] = mapped_column(
        ForeignKey("interview_guide.id", ondelete="CASCADE"), index=True
    )
    statement_id: Mapped[int] = mapped_column(ForeignKey("competence_statement.id"))
    bank_question_id: Mapped[int | None] = mapped_column(
        ForeignKey("interview_question.id", ondelete="SET NULL")
    )
    position: Mapped[int]
    minutes: Mapped[int]
    question: Mapped[str] = mapped_column(Text)
    probes: Mapped[list[str]] = mapped_column(JSON, default=list)

    guide: Mapped[InterviewGuide] = relationship(back_populates="questions")
    statement: Mapped[CompetenceStatement] = relationship()


class CommitteeMember(Timestamped, Base):
    """A member of the ansættelsesudvalg; sees candidates only after both declarations."""

    __tablename__ = "committee_member"
    __table_args__ = (UniqueConstraint("job_profile_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_profile_id: Mapped[int] = mapped_column(
        ForeignKey("job_profile.id", ondelete="CASCADE"), index=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    role: Mapped[CommitteeRole] = mapped_column(enum_type(CommitteeRole, "committee_role"))
    confidentiality_confirmed_at: Mapped[datetime | None]
    #: When the member declared their conflicts of interest (possibly none).
    conflicts_declared_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship()


class Candidate(Timestamped, Base):
    """An applicant, minimal: the applicant system keeps the application itself."""

    __tablename__ = "candidate"
    __table_args__ = (UniqueConstraint("job_profile_id", "ats_reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    job_profile_id: Mapped[int] = mapped_column(
        ForeignKey("job_profile.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str] = mapped_column(String(320))
    ats_reference: Mapped[str] = mapped_column(String(64))
    status: Mapped[CandidateStatus] = mapped_column(
        enum_type(CandidateStatus, "candidate_status"), default=CandidateStatus.ACTIVE
    )
    committee_recommendation: Mapped[Recommendation | None] = mapped_column(
        enum_type(Recommendation, "committee_recommendation")
    )
    committee_reason: Mapped[str] = mapped_column(Text, default="")
    recommended_at: Mapped[datetime | None]
    hired_person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"))
    anonymised_at: Mapped[datetime | None]


class ConflictDeclaration(Base):
    """A member's declared conflict of interest for one candidate: that candidate is hidden."""

    __tablename__ = "conflict_declaration"
    __table_args__ = (UniqueConstraint("member_id", "candidate_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    member_id: Mapped[int] = mapped_column(
        ForeignKey("committee_member.id", ondelete="CASCADE"), index=True
    )
    candidate_id: Mapped[int] = mapped_column(ForeignKey("candidate.id", ondelete="CASCADE"))
    note: Mapped[str] = mapped_column(Text, default="")
    declared_at: Mapped[datetime]


class Interview(Base):
    """When a candidate meets the committee in a round; no scorecard before it."""

    __tablename__ = "interview"
    __table_args__ = (UniqueConstraint("candidate_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int]
    starts_at: Mapped[datetime]


class Scorecard(Timestamped, Base):
    """One member's scores of one candidate in one round, a draft until submitted."""

    __tablename__ = "scorecard"
    __table_args__ = (UniqueConstraint("candidate_id", "member_id", "round"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    member_id: Mapped[int] = mapped_column(
        ForeignKey("committee_member.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int]
    recommendation: Mapped[Recommendation | None] = mapped_column(
        enum_type(Recommendation, "scorecard_recommendation")
    )
    overall_note: Mapped[str] = mapped_column(Text, default="")
    submitted_at: Mapped[datetime | None]

    scores: Mapped[list[StatementScore]] = relationship(
        back_populates="scorecard", order_by="StatementScore.id", cascade="all, delete-orphan"
    )


class StatementScore(Base):
    """A score 1–4 of one statement with the evidence heard."""

    __tablename__ = "statement_score"
    __table_args__ = (
        UniqueConstraint("scorecard_id", "statement_id"),
        CheckConstraint("score BETWEEN 1 AND 4", name="score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    scorecard_id: Mapped[int] = mapped_column(
        ForeignKey("scorecard.id", ondelete="CASCADE"), index=True
    )
    statement_id: Mapped[int] = mapped_column(ForeignKey("competence_statement.id"))
    score: Mapped[int]
    evidence: Mapped[str] = mapped_column(Text, default="")

    scorecard: Mapped[Scorecard] = relationship(back_populates="scores")


class CalibrationNote(Timestamped, Base):
    """The committee's shared note on a statement where the scores lie far apart."""

    __tablename__ = "calibration_note"
    __table_args__ = (UniqueConstraint("candidate_id", "round", "statement_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), index=True
    )
    round: Mapped[int]
    statement_id: Mapped[int] = mapped_column(ForeignKey("competence_statement.id"))
    note: Mapped[str] = mapped_column(Text)
    #: The score the committee agreed on after talking it over.
    agreed_score: Mapped[int | None]
    author_id: Mapped[int | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"))


class RecruitmentHandOver(Base):
    """That a hired candidate's first dialogue was prepared, and what it proposed."""

    __tablename__ = "recruitment_hand_over"

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("candidate.id", ondelete="CASCADE"), unique=True
    )
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    dialogue_id: Mapped[int | None] = mapped_column(ForeignKey("dialogue.id", ondelete="SET NULL"))
    #: Statement keys of the lowest agreed MUST scores, lowest first.
    focus_candidates: Mapped[list[str]] = mapped_column(JSON, default=list)
    prepared_at: Mapped[datetime]
