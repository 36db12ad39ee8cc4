"""Candidates of a vacancy and their interviews; every read of a candidate is audited.

A candidate is minimal (name, e-mail, the applicant system's reference): the
municipality's applicant-tracking system keeps the application. HR and the hiring
chef add candidates; members read them as ``access`` allows, and each read writes a
``CANDIDATE_READ`` row naming who read whom.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import Candidate, Interview, JobProfileStatus
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction, audit_row, record_change, record_changes
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.recruitment.access import (
    conflicted_candidate_ids,
    get_candidate,
    get_job_profile,
    require_any_standing,
    require_manager,
)
from catalogue.services.recruitment.guides import check_round
from catalogue.services.recruitment.job_profiles import STATUS_LABELS
from catalogue.services.validation import Checks

NAME_MAX_LENGTH = 200
EMAIL_MAX_LENGTH = 320
REFERENCE_MAX_LENGTH = 64


def add_candidate(
    session: Session,
    *,
    actor: Viewer,
    job_profile_id: int,
    name: str,
    email: str,
    ats_reference: str,
    now: datetime | None = None,
) -> Candidate:
    job_profile = get_job_profile(session, job_profile_id, lock=True)
    require_manager(session, actor, job_profile)
    if job_profile.status not in (JobProfileStatus.APPROVED, JobProfileStatus.IN_USE):
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "Kandidater kan kun tilføjes til en godkendt stilling; jobprofilen er "
            f"{STATUS_LABELS[job_profile.status]}.",
            field="jobProfileId",
        )
    checks = Checks()
    clean_name = checks.text("name", name, label="Navnet", max_length=NAME_MAX_LENGTH)
    clean_email = checks.text("email", email, label="E-mailen", max_length=EMAIL_MAX_LENGTH)
    if clean_email and ("@" not in clean_email or " " in clean_email):
        checks.fail("email", ErrorCode.INVALID, f"E-mailen {clean_email[:60]!r} er ikke gyldig.")
    reference = checks.text(
        "atsReference",
        ats_reference,
        label="Referencen fra ansøgersystemet",
        max_length=REFERENCE_MAX_LENGTH,
    )
    if reference and session.scalar(
        select(Candidate.id).where(
            Candidate.job_profile_id == job_profile.id, Candidate.ats_reference == reference
        )
    ):
        checks.fail(
            "atsReference",
            ErrorCode.DUPLICATE,
            f"Der er allerede en kandidat med referencen {reference} ved stillingen.",
        )
    checks.done()
    candidate = Candidate(
        job_profile_id=job_profile.id,
        name=clean_name or "",
        email=(clean_email or "").lower(),
        ats_reference=reference or "",
    )
    session.add(candidate)
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="Candidate",
        entity_id=candidate.id,
        action=AuditAction.CANDIDATE_ADDED,
        details={"job_profile_id": job_profile.id},
        at=now or utcnow(),
    )
    return candidate


def schedule_interview(
    session: Session,
    *,
    actor: Viewer,
    candidate_id: int,
    round_number: int,
    starts_at: datetime,
    now: datetime | None = None,
) -> Interview:
    """Set (or move, until it has begun) when the candidate meets the committee in a round."""
    now = now or utcnow()
    candidate, job_profile, _ = get_candidate(session, actor, candidate_id)
    require_manager(session, actor, job_profile)
    check_round(round_number)
    if starts_at.tzinfo is None:
        raise DomainError(
            ErrorCode.INVALID,
            "Tidspunktet skal have en tidszone, fx 2027-03-01T09:00+01:00.",
            field="startsAt",
        )
    interview = session.scalar(
        select(Interview).where(
            Interview.candidate_id == candidate.id, Interview.round == round_number
        )
    )
    if interview is not None and interview.starts_at <= now:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            "Samtalen er allerede begyndt og kan ikke flyttes.",
            field="startsAt",
        )
    if interview is None:
        interview = Interview(candidate_id=candidate.id, round=round_number, starts_at=starts_at)
        session.add(interview)
    interview.starts_at = starts_at
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="Candidate",
        entity_id=candidate.id,
        action=AuditAction.INTERVIEW_SCHEDULED,
        details={"round": round_number, "starts_at": starts_at.isoformat()},
        at=now,
    )
    return interview


def read_candidate(
    session: Session, *, actor: Viewer, candidate_id: int, now: datetime | None = None
) -> Candidate:
    """One candidate the actor may see; the read is in the audit log."""
    candidate, _, _ = get_candidate(session, actor, candidate_id)
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="Candidate",
        entity_id=candidate.id,
        action=AuditAction.CANDIDATE_READ,
        at=now or utcnow(),
    )
    session.flush()
    return candidate


def list_candidates(
    session: Session, *, actor: Viewer, job_profile_id: int, now: datetime | None = None
) -> list[Candidate]:
    """The candidates the actor may see, by id; one audit row per candidate shown."""
    job_profile = get_job_profile(session, job_profile_id)
    where = require_any_standing(session, actor, job_profile)
    if not where.manages and not where.cleared:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "Du skal bekræfte tavshedspligten og erklære eventuelle interessekonflikter, "
            "før du kan se kandidaterne.",
            field="jobProfileId",
        )
    hidden = (
        set()
        if where.member is None or where.manages
        else conflicted_candidate_ids(session, where.member)
    )
    candidates = [
        c
        for c in session.scalars(
            select(Candidate)
            .where(Candidate.job_profile_id == job_profile.id)
            .order_by(Candidate.id)
        )
        if c.id not in hidden
    ]
    at = now or utcnow()
    record_changes(
        session,
        [
            audit_row(
                actor_id=actor.person_id,
                entity_type="Candidate",
                entity_id=c.id,
                action=AuditAction.CANDIDATE_READ,
                at=at,
            )
            for c in candidates
        ],
    )
    return candidates
