"""Retention: a closed vacancy's candidate data is anonymised after the retention period.

After ``recruitment_retention_days`` (default 183, about six months) from closing, each
candidate's name, e-mail, reference and the committee's reason are replaced, and
their interviews, scorecards, conflict declarations and calibration notes deleted.
The job profile, its guides and the hand-over of the person hired stay: they hold
no applicant's data. Idempotent: a vacancy is done once (``candidates_erased_at``).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from catalogue.models import (
    CalibrationNote,
    Candidate,
    ConflictDeclaration,
    Interview,
    JobProfile,
    JobProfileStatus,
    Scorecard,
)
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction, record_change

ANONYMOUS_NAME = "Anonymiseret kandidat"


def erase_expired_candidates(
    session: Session, *, retention_days: int, now: datetime | None = None
) -> list[int]:
    """Anonymise the candidates of every vacancy closed longer ago than the period."""
    now = now or utcnow()
    cutoff = now - timedelta(days=retention_days)
    due = session.scalars(
        select(JobProfile)
        .where(
            JobProfile.status == JobProfileStatus.CLOSED,
            JobProfile.closed_at <= cutoff,
            JobProfile.candidates_erased_at.is_(None),
        )
        .order_by(JobProfile.id)
        .with_for_update(skip_locked=True)
    ).all()
    erased: list[int] = []
    for job_profile in due:
        candidate_ids = select(Candidate.id).where(Candidate.job_profile_id == job_profile.id)
        for model in (Scorecard, CalibrationNote, Interview, ConflictDeclaration):
            session.execute(
                delete(model).where(model.candidate_id.in_(candidate_ids)),
                execution_options={"synchronize_session": False},
            )
        candidates = session.scalars(
            select(Candidate).where(Candidate.job_profile_id == job_profile.id)
        ).all()
        for candidate in candidates:
            candidate.name = ANONYMOUS_NAME
            candidate.email = ""
            candidate.ats_reference = f"anonymiseret-{candidate.id}"
            candidate.committee_reason = ""
            candidate.anonymised_at = now
        job_profile.candidates_erased_at = now
        record_change(
            session,
            actor_id=None,
            entity_type="JobProfile",
            entity_id=job_profile.id,
            action=AuditAction.CANDIDATES_ERASED,
            details={"candidates": len(candidates), "retention_days": retention_days},
            at=now,
        )
        erased.append(job_profile.id)
    session.flush()
    return erased
