"""Scorecards: each member scores the guide's statements 1–4 with evidence, then submits.

Only a cleared member without a conflict for the candidate may write one, only for a
round whose guide is locked, not before the interview has begun, and one per member,
candidate and round; a submitted scorecard is final. Scorecards are blind: a member
sees the others' only after submitting their own, so nobody anchors on a colleague's
score. HR and the hiring chef see every submitted scorecard of their vacancies.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from catalogue.models import (
    Candidate,
    Interview,
    Recommendation,
    Scorecard,
    StatementScore,
)
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.recruitment.access import Standing, get_candidate
from catalogue.services.recruitment.guides import check_round, guide_of
from catalogue.services.validation import Checks

SCORE_MIN = 1
SCORE_MAX = 4
EVIDENCE_MAX_LENGTH = 4000
#: The scale's words, lowest first, as the guide and the documents show them.
SCORE_LABELS = {1: "ikke vist", 2: "delvist vist", 3: "vist", 4: "tydeligt vist"}


@dataclass(frozen=True)
class ScoreInput:
    statement_key: str
    score: int
    evidence: str = ""


def _scorecard(
    session: Session, candidate_id: int, member_id: int, round_number: int
) -> Scorecard | None:
    return session.scalar(
        select(Scorecard)
        .where(
            Scorecard.candidate_id == candidate_id,
            Scorecard.member_id == member_id,
            Scorecard.round == round_number,
        )
        .with_for_update()
        .execution_options(populate_existing=True)
    )


def save_scorecard(
    session: Session,
    *,
    actor: Viewer,
    candidate_id: int,
    round_number: int,
    scores: Sequence[ScoreInput],
    recommendation: Recommendation | None = None,
    overall_note: str = "",
    submit: bool = False,
    now: datetime | None = None,
) -> Scorecard:
    """Write the member's own scorecard (a draft, or submitted); every problem at once."""
    now = now or utcnow()
    candidate, job_profile, where = get_candidate(session, actor, candidate_id)
    check_round(round_number)
    member = where.member
    if member is None:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "Kun medlemmer af ansættelsesudvalget kan udfylde en vurdering.",
            field="candidateId",
        )
    if not where.cleared:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "Du skal bekræfte tavshedspligten og erklære eventuelle interessekonflikter først.",
            field="candidateId",
        )
    guide = guide_of(session, job_profile.id, round_number)
    if guide is None or guide.locked_at is None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"Interviewguiden til {round_number}. samtale er ikke låst endnu.",
            field="round",
        )
    interview = session.scalar(
        select(Interview).where(
            Interview.candidate_id == candidate.id, Interview.round == round_number
        )
    )
    if interview is None or interview.starts_at > now:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "Vurderingen kan først udfyldes, når samtalen er begyndt"
            + (
                f" ({interview.starts_at.isoformat(timespec='minutes')})."
                if interview
                else "; der er ingen samtale planlagt."
            ),
            field="round",
        )
    scorecard = _scorecard(session, candidate.id, member.id, round_number)
    if scorecard is not None and scorecard.submitted_at is not None:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "Din vurdering er allerede afleveret og kan ikke ændres.",
            field="candidateId",
        )
    in_guide = {q.statement.key: q.statement_id for q in guide.questions}
    checks = Checks()
    rows: dict[int, StatementScore] = {}
    for index, item in enumerate(scores):
        field = f"scores[{index}]"
        statement_id = in_guide.get(item.statement_key)
        if statement_id is None:
            checks.fail(
                f"{field}.statementKey",
                ErrorCode.NOT_FOUND,
                f"Udsagnet {item.statement_key[:20]!r} er ikke med i interviewguiden.",
            )
        elif statement_id in rows:
            checks.fail(
                f"{field}.statementKey",
                ErrorCode.DUPLICATE,
                f"Udsagnet {item.statement_key} er vurderet to gange.",
            )
        if not SCORE_MIN <= item.score <= SCORE_MAX:
            checks.fail(
                f"{field}.score",
                ErrorCode.INVALID,
                f"Scoren skal være {SCORE_MIN}–{SCORE_MAX} (fik {item.score}).",
            )
        evidence = checks.text(
            f"{field}.evidence",
            item.evidence,
            label="Evidensen",
            max_length=EVIDENCE_MAX_LENGTH,
            required=False,
            multiline=True,
        )
        if statement_id is not None and statement_id not in rows:
            rows[statement_id] = StatementScore(
                statement_id=statement_id, score=item.score, evidence=evidence or ""
            )
    note = checks.text(
        "overallNote",
        overall_note,
        label="Den samlede bemærkning",
        max_length=EVIDENCE_MAX_LENGTH,
        required=False,
        multiline=True,
    )
    if submit:
        missing = [key for key, sid in in_guide.items() if sid not in rows]
        if missing:
            checks.fail(
                "scores",
                ErrorCode.REQUIRED,
                "Alle udsagn i guiden skal vurderes, før vurderingen afleveres; mangler: "
                + ", ".join(missing)
                + ".",
            )
        if recommendation is None:
            checks.fail(
                "recommendation",
                ErrorCode.REQUIRED,
                "Den samlede anbefaling skal udfyldes, før vurderingen afleveres.",
            )
    checks.done()
    if scorecard is None:
        scorecard = Scorecard(candidate_id=candidate.id, member_id=member.id, round=round_number)
        session.add(scorecard)
    scorecard.scores.clear()
    session.flush()
    scorecard.scores.extend(rows.values())
    scorecard.recommendation = recommendation
    scorecard.overall_note = note or ""
    if submit:
        scorecard.submitted_at = now
        record_change(
            session,
            actor_id=actor.person_id,
            entity_type="Scorecard",
            entity_id=candidate.id,
            action=AuditAction.SCORECARD_SUBMITTED,
            details={"round": round_number, "member_id": member.id},
            at=now,
        )
    session.flush()
    return scorecard


def own_submitted(session: Session, where: Standing, candidate_id: int, round_number: int) -> bool:
    if where.member is None:
        return False
    return (
        session.scalar(
            select(Scorecard.id).where(
                Scorecard.candidate_id == candidate_id,
                Scorecard.member_id == where.member.id,
                Scorecard.round == round_number,
                Scorecard.submitted_at.is_not(None),
            )
        )
        is not None
    )


def submitted_scorecards(session: Session, candidate_id: int, round_number: int) -> list[Scorecard]:
    return list(
        session.scalars(
            select(Scorecard)
            .where(
                Scorecard.candidate_id == candidate_id,
                Scorecard.round == round_number,
                Scorecard.submitted_at.is_not(None),
            )
            .options(selectinload(Scorecard.scores))
            .order_by(Scorecard.id)
        )
    )


def visible_scorecards(
    session: Session,
    *,
    actor: Viewer,
    candidate_id: int,
    round_number: int,
    now: datetime | None = None,
) -> list[Scorecard]:
    """The scorecards of a round the actor may read; blind until their own is submitted.

    A member who has not submitted sees only their own draft. The read is audited.
    """
    candidate, _, where = get_candidate(session, actor, candidate_id)
    check_round(round_number)
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="Candidate",
        entity_id=candidate.id,
        action=AuditAction.CANDIDATE_READ,
        details={"scorecards_round": round_number},
        at=now or utcnow(),
    )
    if where.manages or own_submitted(session, where, candidate.id, round_number):
        cards = submitted_scorecards(session, candidate.id, round_number)
        if where.member is not None and not any(c.member_id == where.member.id for c in cards):
            own = _own_draft(session, candidate, where, round_number)
            cards += [own] if own else []
        return cards
    own = _own_draft(session, candidate, where, round_number)
    return [own] if own else []


def _own_draft(
    session: Session, candidate: Candidate, where: Standing, round_number: int
) -> Scorecard | None:
    if where.member is None:
        return None
    return session.scalar(
        select(Scorecard).where(
            Scorecard.candidate_id == candidate.id,
            Scorecard.member_id == where.member.id,
            Scorecard.round == round_number,
        )
    )
