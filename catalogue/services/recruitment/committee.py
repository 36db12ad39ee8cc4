"""The hiring committee (ansættelsesudvalg): members, confidentiality and conflicts.

A member sees no candidate before confirming confidentiality (tavshedspligt) and
declaring conflicts of interest (inhabilitet), possibly none. A conflict declared
for a candidate hides that candidate from the member for good: a declaration is
never withdrawn, because the rule is there to protect the decision.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    Candidate,
    CommitteeMember,
    CommitteeRole,
    ConflictDeclaration,
    JobProfileStatus,
    Person,
)
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.capabilities import Capability
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.recruitment.access import by_id, get_job_profile, require_manager, standing
from catalogue.services.validation import Checks

NOTE_MAX_LENGTH = 1000


@dataclass(frozen=True)
class ConflictInput:
    candidate_id: int
    note: str = ""


def add_member(
    session: Session,
    *,
    actor: Viewer,
    job_profile_id: int,
    person_id: int,
    role: CommitteeRole,
    now: datetime | None = None,
) -> CommitteeMember:
    job_profile = get_job_profile(session, job_profile_id, lock=True)
    require_manager(session, actor, job_profile)
    if job_profile.status is JobProfileStatus.CLOSED:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION, "Stillingen er lukket.", field="jobProfileId"
        )
    person = by_id(session, Person, person_id)
    if person is None or not person.active:
        raise DomainError(ErrorCode.NOT_FOUND, "Personen findes ikke.", field="personId")
    existing = session.scalar(
        select(CommitteeMember.id).where(
            CommitteeMember.job_profile_id == job_profile.id,
            CommitteeMember.person_id == person_id,
        )
    )
    if existing is not None:
        raise DomainError(
            ErrorCode.DUPLICATE,
            f"{person.name} er allerede med i ansættelsesudvalget.",
            field="personId",
        )
    member = CommitteeMember(job_profile_id=job_profile.id, person_id=person_id, role=role)
    session.add(member)
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="CommitteeMember",
        entity_id=member.id,
        action=AuditAction.COMMITTEE_MEMBER_ADDED,
        person_id=person_id,
        details={"job_profile_id": job_profile.id, "role": role.value},
        at=now or utcnow(),
    )
    return member


def _own_membership(session: Session, actor: Viewer, job_profile_id: int) -> CommitteeMember:
    job_profile = get_job_profile(session, job_profile_id)
    member = (
        standing(session, actor, job_profile).member
        if actor.can(Capability.RECRUITMENT_TAKE_PART, Capability.RECRUITMENT_ADMINISTER)
        else None
    )
    if member is None:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "Du er ikke med i ansættelsesudvalget for denne stilling.",
            field="jobProfileId",
        )
    return member


def confirm_confidentiality(
    session: Session, *, actor: Viewer, job_profile_id: int, now: datetime | None = None
) -> CommitteeMember:
    """The member confirms the duty of confidentiality; a second confirmation changes nothing."""
    member = _own_membership(session, actor, job_profile_id)
    if member.confidentiality_confirmed_at is None:
        member.confidentiality_confirmed_at = now or utcnow()
        record_change(
            session,
            actor_id=actor.person_id,
            entity_type="CommitteeMember",
            entity_id=member.id,
            action=AuditAction.COMMITTEE_CONFIDENTIALITY_CONFIRMED,
            person_id=actor.person_id,
            at=member.confidentiality_confirmed_at,
        )
        session.flush()
    return member


def declare_conflicts(
    session: Session,
    *,
    actor: Viewer,
    job_profile_id: int,
    conflicts: Sequence[ConflictInput],
    now: datetime | None = None,
) -> CommitteeMember:
    """Declare conflicts (an empty list: none); later calls may add, never remove."""
    now = now or utcnow()
    member = _own_membership(session, actor, job_profile_id)
    checks = Checks()
    known = set(
        session.scalars(
            select(ConflictDeclaration.candidate_id).where(
                ConflictDeclaration.member_id == member.id
            )
        )
    )
    new: list[ConflictDeclaration] = []
    for index, conflict in enumerate(conflicts):
        candidate = by_id(session, Candidate, conflict.candidate_id)
        if candidate is None or candidate.job_profile_id != member.job_profile_id:
            checks.fail(
                f"conflicts[{index}].candidateId",
                ErrorCode.NOT_FOUND,
                "Kandidaten findes ikke ved denne stilling.",
            )
            continue
        note = checks.text(
            f"conflicts[{index}].note",
            conflict.note,
            label="Bemærkningen",
            max_length=NOTE_MAX_LENGTH,
            required=False,
            multiline=True,
        )
        if candidate.id not in known:
            known.add(candidate.id)
            new.append(
                ConflictDeclaration(
                    member_id=member.id, candidate_id=candidate.id, note=note or "", declared_at=now
                )
            )
    checks.done()
    session.add_all(new)
    if member.conflicts_declared_at is None:
        member.conflicts_declared_at = now
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="CommitteeMember",
        entity_id=member.id,
        action=AuditAction.COMMITTEE_CONFLICTS_DECLARED,
        person_id=actor.person_id,
        details={"conflicts": len(new)},
        at=now,
    )
    session.flush()
    return member


def members_of(session: Session, job_profile_id: int) -> list[CommitteeMember]:
    return list(
        session.scalars(
            select(CommitteeMember)
            .where(CommitteeMember.job_profile_id == job_profile_id)
            .order_by(CommitteeMember.id)
        )
    )
