"""Calibration: the committee's scorecards side by side, spread, fit score, shared notes.

Scores are never averaged away where members disagree: where two scores of a
statement differ by 2 or more, the committee writes a shared note (and may agree a
score) before it can record its recommendation. The fit score weighs each
statement's score by the job profile's priority (MUST 3, IMPORTANT 2, NICE 1) and
is shown as a percentage of the best possible; an agreed score counts instead of
the mean where there is one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    CalibrationNote,
    Candidate,
    CandidateStatus,
    JobProfile,
    JobProfileStatus,
    Priority,
    Recommendation,
    Scorecard,
)
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.recruitment.access import Standing, get_candidate, require_manager
from catalogue.services.recruitment.guides import ROUNDS, check_round
from catalogue.services.recruitment.scorecards import (
    SCORE_MAX,
    SCORE_MIN,
    own_submitted,
    submitted_scorecards,
)
from catalogue.services.validation import Checks

PRIORITY_WEIGHTS = {Priority.MUST: 3, Priority.IMPORTANT: 2, Priority.NICE: 1}
#: Two scores this far apart need a shared note.
NOTE_SPREAD = 2
NOTE_MAX_LENGTH = 4000


@dataclass(frozen=True)
class StatementCalibration:
    statement_id: int
    statement_key: str
    priority: Priority
    #: member id -> score, for the submitted scorecards.
    scores: dict[int, int]
    note: str | None
    agreed_score: int | None

    @property
    def spread(self) -> int:
        return max(self.scores.values()) - min(self.scores.values()) if self.scores else 0

    @property
    def needs_note(self) -> bool:
        return self.spread >= NOTE_SPREAD and not self.note

    @property
    def settled_score(self) -> float | None:
        """The agreed score, else the mean of the members' scores."""
        if self.agreed_score is not None:
            return float(self.agreed_score)
        if not self.scores:
            return None
        return sum(self.scores.values()) / len(self.scores)


@dataclass(frozen=True)
class Calibration:
    candidate_id: int
    round: int
    statements: list[StatementCalibration]
    scorecards: int

    @property
    def fit_score(self) -> float | None:
        """0–100: the priority-weighted settled scores as a share of the best possible."""
        weighted = [
            (PRIORITY_WEIGHTS[s.priority], s.settled_score)
            for s in self.statements
            if s.settled_score is not None
        ]
        if not weighted:
            return None
        best = sum(weight * SCORE_MAX for weight, _ in weighted)
        return round(100 * sum(weight * score for weight, score in weighted) / best, 1)

    @property
    def missing_notes(self) -> list[str]:
        return [s.statement_key for s in self.statements if s.needs_note]


def build_calibration(
    session: Session, job_profile: JobProfile, candidate: Candidate, round_number: int
) -> Calibration:
    cards: list[Scorecard] = submitted_scorecards(session, candidate.id, round_number)
    notes = {
        n.statement_id: n
        for n in session.scalars(
            select(CalibrationNote).where(
                CalibrationNote.candidate_id == candidate.id, CalibrationNote.round == round_number
            )
        )
    }
    statements = []
    for row in job_profile.statements:
        scores = {
            card.member_id: score.score
            for card in cards
            for score in card.scores
            if score.statement_id == row.statement_id
        }
        if not scores:
            continue
        note = notes.get(row.statement_id)
        statements.append(
            StatementCalibration(
                statement_id=row.statement_id,
                statement_key=row.statement.key,
                priority=row.priority,
                scores=scores,
                note=note.note if note else None,
                agreed_score=note.agreed_score if note else None,
            )
        )
    return Calibration(
        candidate_id=candidate.id, round=round_number, statements=statements, scorecards=len(cards)
    )


def _require_calibrator(
    session: Session, where: Standing, candidate: Candidate, round_number: int
) -> None:
    if where.manages or own_submitted(session, where, candidate.id, round_number):
        return
    raise DomainError(
        ErrorCode.FORBIDDEN,
        "Du ser kalibreringen, når du selv har afleveret din vurdering.",
        field="candidateId",
    )


def calibration(
    session: Session,
    *,
    actor: Viewer,
    candidate_id: int,
    round_number: int,
    now: datetime | None = None,
) -> Calibration:
    """The side-by-side view, for HR, the hiring chef and members who have submitted."""
    candidate, job_profile, where = get_candidate(session, actor, candidate_id)
    check_round(round_number)
    _require_calibrator(session, where, candidate, round_number)
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="Candidate",
        entity_id=candidate.id,
        action=AuditAction.CANDIDATE_READ,
        details={"calibration_round": round_number},
        at=now or utcnow(),
    )
    return build_calibration(session, job_profile, candidate, round_number)


def save_note(
    session: Session,
    *,
    actor: Viewer,
    candidate_id: int,
    round_number: int,
    statement_key: str,
    note: str,
    agreed_score: int | None = None,
    now: datetime | None = None,
) -> CalibrationNote:
    """Write (or rewrite) the committee's shared note on one statement."""
    now = now or utcnow()
    candidate, job_profile, where = get_candidate(session, actor, candidate_id)
    check_round(round_number)
    _require_calibrator(session, where, candidate, round_number)
    checks = Checks()
    row = next((r for r in job_profile.statements if r.statement.key == statement_key), None)
    if row is None:
        checks.fail(
            "statementKey",
            ErrorCode.NOT_FOUND,
            f"Udsagnet {statement_key[:20]!r} er ikke valgt i jobprofilen.",
        )
    text = checks.text(
        "note", note, label="Den fælles note", max_length=NOTE_MAX_LENGTH, multiline=True
    )
    if agreed_score is not None and not SCORE_MIN <= agreed_score <= SCORE_MAX:
        checks.fail(
            "agreedScore",
            ErrorCode.INVALID,
            f"Den aftalte score skal være {SCORE_MIN}–{SCORE_MAX} (fik {agreed_score}).",
        )
    checks.done()
    assert row is not None
    stored = session.scalar(
        select(CalibrationNote).where(
            CalibrationNote.candidate_id == candidate.id,
            CalibrationNote.round == round_number,
            CalibrationNote.statement_id == row.statement_id,
        )
    )
    if stored is None:
        stored = CalibrationNote(
            candidate_id=candidate.id, round=round_number, statement_id=row.statement_id, note=""
        )
        session.add(stored)
    stored.note = text or ""
    stored.agreed_score = agreed_score
    stored.author_id = actor.person_id
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="Candidate",
        entity_id=candidate.id,
        action=AuditAction.CALIBRATION_NOTE_SAVED,
        details={"round": round_number, "statement": statement_key},
        at=now,
    )
    return stored


def record_recommendation(
    session: Session,
    *,
    actor: Viewer,
    candidate_id: int,
    recommendation: Recommendation,
    reason: str,
    now: datetime | None = None,
) -> Candidate:
    """The committee's reasoned recommendation; every wide spread needs its note first."""
    now = now or utcnow()
    candidate, job_profile, _ = get_candidate(session, actor, candidate_id)
    require_manager(session, actor, job_profile)
    if job_profile.status is not JobProfileStatus.IN_USE:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "Anbefalingen kan kun registreres, mens stillingen er i brug.",
            field="candidateId",
        )
    if candidate.status is not CandidateStatus.ACTIVE:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "Kandidaten er ikke længere aktiv i forløbet.",
            field="candidateId",
        )
    checks = Checks()
    clean_reason = checks.text(
        "reason", reason, label="Begrundelsen", max_length=NOTE_MAX_LENGTH, multiline=True
    )
    rounds = [build_calibration(session, job_profile, candidate, r) for r in ROUNDS]
    if not any(c.scorecards for c in rounds):
        checks.fail(
            "candidateId",
            ErrorCode.INVALID,
            "Ingen i udvalget har afleveret en vurdering af kandidaten endnu.",
        )
    for calibrated in rounds:
        if calibrated.missing_notes:
            checks.fail(
                "notes",
                ErrorCode.REQUIRED,
                f"Scorerne ligger {NOTE_SPREAD} eller mere fra hinanden ved "
                + ", ".join(calibrated.missing_notes)
                + f" ({calibrated.round}. samtale); skriv en fælles note først.",
            )
    checks.done()
    candidate.committee_recommendation = recommendation
    candidate.committee_reason = clean_reason or ""
    candidate.recommended_at = now
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="Candidate",
        entity_id=candidate.id,
        action=AuditAction.COMMITTEE_RECOMMENDATION_RECORDED,
        to_state=recommendation.value,
        at=now,
    )
    session.flush()
    return candidate
