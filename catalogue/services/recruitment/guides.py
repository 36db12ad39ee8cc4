"""Interview guides: the questions of each round, locked before its first interview.

Every candidate of a round meets the same questions, so a guide can be changed only
until it is locked, and it can be locked only while no interview of the round has
begun and when every MUST statement has a question. Questions are copied from the
bank, so HR editing the bank later changes no guide in use. Locking round 1 puts the
job profile IN_USE.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    Candidate,
    GuideQuestion,
    Interview,
    InterviewGuide,
    InterviewQuestion,
    JobProfile,
    JobProfileStatus,
    Priority,
)
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.recruitment.access import by_id, get_job_profile, require_manager
from catalogue.services.recruitment.job_profiles import STATUS_LABELS, move
from catalogue.services.validation import Checks

ROUNDS = (1, 2)
MAX_MINUTES = 60
MAX_QUESTIONS = 40
QUESTION_MAX_LENGTH = 2000


@dataclass(frozen=True)
class GuideQuestionInput:
    """A question for a statement of the profile: from the bank, or written for this guide."""

    statement_key: str
    minutes: int
    bank_question_id: int | None = None
    question: str | None = None
    probes: Sequence[str] = field(default_factory=tuple)


def check_round(round_number: int) -> None:
    if round_number not in ROUNDS:
        raise DomainError(
            ErrorCode.INVALID,
            f"Runden skal være 1 eller 2 (1. og 2. samtale); fik {round_number}.",
            field="round",
        )


def guide_of(session: Session, job_profile_id: int, round_number: int) -> InterviewGuide | None:
    return session.scalar(
        select(InterviewGuide).where(
            InterviewGuide.job_profile_id == job_profile_id, InterviewGuide.round == round_number
        )
    )


def locked_error(round_number: int) -> DomainError:
    return DomainError(
        ErrorCode.INVALID_TRANSITION,
        f"Interviewguiden til {round_number}. samtale er låst, så alle kandidater får de samme "
        "spørgsmål; den kan ikke ændres.",
        field="round",
    )


def save_guide(
    session: Session,
    *,
    actor: Viewer,
    job_profile_id: int,
    round_number: int,
    questions: Sequence[GuideQuestionInput],
    now: datetime | None = None,
) -> InterviewGuide:
    """Replace an unlocked guide's questions, in the given order; all problems at once."""
    job_profile = get_job_profile(session, job_profile_id, lock=True)
    require_manager(session, actor, job_profile)
    check_round(round_number)
    if job_profile.status not in (JobProfileStatus.APPROVED, JobProfileStatus.IN_USE):
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "En interviewguide kræver en godkendt jobprofil; jobprofilen er "
            f"{STATUS_LABELS[job_profile.status]}.",
            field="jobProfileId",
        )
    guide = guide_of(session, job_profile.id, round_number)
    if guide is not None and guide.locked_at is not None:
        raise locked_error(round_number)
    chosen = {row.statement.key: row for row in job_profile.statements}
    checks = Checks()
    if not questions:
        checks.fail(
            "questions", ErrorCode.REQUIRED, "Interviewguiden skal have mindst ét spørgsmål."
        )
    if len(questions) > MAX_QUESTIONS:
        checks.fail(
            "questions",
            ErrorCode.INVALID,
            f"En interviewguide kan højst have {MAX_QUESTIONS} spørgsmål (fik {len(questions)}).",
        )
    rows: list[GuideQuestion] = []
    for index, item in enumerate(questions[:MAX_QUESTIONS]):
        where = f"questions[{index}]"
        chosen_row = chosen.get(item.statement_key)
        if chosen_row is None:
            checks.fail(
                f"{where}.statementKey",
                ErrorCode.NOT_FOUND,
                f"Udsagnet {item.statement_key[:20]!r} er ikke valgt i jobprofilen.",
            )
        if not 1 <= item.minutes <= MAX_MINUTES:
            checks.fail(
                f"{where}.minutes",
                ErrorCode.INVALID,
                f"Minutterne skal være 1–{MAX_MINUTES} (fik {item.minutes}).",
            )
        text: str | None = None
        probes: list[str] = []
        if item.bank_question_id is not None:
            bank = by_id(session, InterviewQuestion, item.bank_question_id)
            if bank is None or (chosen_row and bank.statement_key != item.statement_key):
                checks.fail(
                    f"{where}.bankQuestionId",
                    ErrorCode.NOT_FOUND,
                    f"Spørgsmålet findes ikke i spørgebanken for {item.statement_key[:20]}.",
                )
            else:
                text, probes = bank.question, list(bank.probes)
        if item.question is not None or item.bank_question_id is None:
            text = checks.text(
                f"{where}.question",
                item.question,
                label="Spørgsmålet",
                max_length=QUESTION_MAX_LENGTH,
                multiline=True,
            )
            probes = [
                checks.text(
                    f"{where}.probes[{n}]",
                    probe,
                    label="Opfølgningen",
                    max_length=QUESTION_MAX_LENGTH,
                )
                or ""
                for n, probe in enumerate(item.probes)
            ] or probes
        if chosen_row is not None and text:
            rows.append(
                GuideQuestion(
                    statement_id=chosen_row.statement_id,
                    bank_question_id=item.bank_question_id,
                    position=index + 1,
                    minutes=item.minutes,
                    question=text,
                    probes=probes,
                )
            )
    checks.done()
    if guide is None:
        guide = InterviewGuide(job_profile_id=job_profile.id, round=round_number)
        session.add(guide)
    guide.questions.clear()
    session.flush()
    guide.questions.extend(rows)
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="InterviewGuide",
        entity_id=guide.id,
        action=AuditAction.INTERVIEW_GUIDE_SAVED,
        details={"job_profile_id": job_profile.id, "round": round_number, "questions": len(rows)},
        at=now or utcnow(),
    )
    return guide


def _interview_begun(
    session: Session, job_profile: JobProfile, round_number: int, now: datetime
) -> bool:
    return (
        session.scalar(
            select(Interview.id)
            .join(Candidate, Candidate.id == Interview.candidate_id)
            .where(
                Candidate.job_profile_id == job_profile.id,
                Interview.round == round_number,
                Interview.starts_at <= now,
            )
            .limit(1)
        )
        is not None
    )


def lock_guide(
    session: Session,
    *,
    actor: Viewer,
    job_profile_id: int,
    round_number: int,
    now: datetime | None = None,
) -> InterviewGuide:
    """Lock a round's guide; every MUST statement needs a question first."""
    now = now or utcnow()
    job_profile = get_job_profile(session, job_profile_id, lock=True)
    require_manager(session, actor, job_profile)
    check_round(round_number)
    guide = guide_of(session, job_profile.id, round_number)
    if guide is None or not guide.questions:
        raise DomainError(
            ErrorCode.INVALID,
            f"Interviewguiden til {round_number}. samtale har ingen spørgsmål endnu.",
            field="round",
        )
    if guide.locked_at is not None:
        raise locked_error(round_number)
    covered = {q.statement_id for q in guide.questions}
    missing = [
        row.statement.key
        for row in job_profile.statements
        if row.priority is Priority.MUST and row.statement_id not in covered
    ]
    if missing:
        raise DomainError(
            ErrorCode.INVALID,
            "Hvert SKAL-udsagn skal have et spørgsmål, før guiden låses; mangler: "
            + ", ".join(missing)
            + ".",
            field="questions",
        )
    if _interview_begun(session, job_profile, round_number, now):
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"Den første {round_number}. samtale er allerede begyndt; guiden skulle have været "
            "låst før.",
            field="round",
        )
    guide.locked_at = now
    guide.locked_by_id = actor.person_id
    if job_profile.status is JobProfileStatus.APPROVED:
        move(session, job_profile, JobProfileStatus.IN_USE, actor_id=actor.person_id, now=now)
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="InterviewGuide",
        entity_id=guide.id,
        action=AuditAction.INTERVIEW_GUIDE_LOCKED,
        details={"job_profile_id": job_profile.id, "round": round_number},
        at=now,
    )
    session.flush()
    return guide
