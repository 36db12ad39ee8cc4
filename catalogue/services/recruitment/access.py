"""Who may see and do what on a vacancy.

HR (``recruitment.administer``) and the vacancy's hiring chef see everything of it.
A committee member sees candidates only after confirming confidentiality and
declaring conflicts of interest, and never a candidate they declared a conflict
for. Nobody else sees anything, leaders and chefs of other units included. Every
check here is a capability or a membership, never a role name.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import Candidate, CommitteeMember, ConflictDeclaration, JobProfile
from catalogue.services.capabilities import Capability
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer


@dataclass(frozen=True)
class Standing:
    """The viewer's place on one vacancy."""

    manages: bool
    member: CommitteeMember | None

    @property
    def cleared(self) -> bool:
        """A member who has confirmed confidentiality and declared conflicts."""
        member = self.member
        return (
            member is not None
            and member.confidentiality_confirmed_at is not None
            and member.conflicts_declared_at is not None
        )


T = TypeVar("T")

#: Ids are PostgreSQL INTEGERs; a forged id outside that range is simply not there.
MAX_ID = 2**31 - 1


def _valid_id(value: int) -> bool:
    return 0 < value <= MAX_ID


def by_id(session: Session, model: type[T], value: int) -> T | None:
    """``session.get`` that treats an id no column can hold as missing, not as a crash."""
    return session.get(model, value) if _valid_id(value) else None


def get_job_profile(
    session: Session, job_profile_id: int, *, field: str = "jobProfileId", lock: bool = False
) -> JobProfile:
    if not _valid_id(job_profile_id):
        raise DomainError(ErrorCode.NOT_FOUND, "Jobprofilen findes ikke.", field=field)
    statement = select(JobProfile).where(JobProfile.id == job_profile_id)
    if lock:
        statement = statement.with_for_update().execution_options(populate_existing=True)
    job_profile = session.scalar(statement)
    if job_profile is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Jobprofilen findes ikke.", field=field)
    return job_profile


def standing(session: Session, actor: Viewer, job_profile: JobProfile) -> Standing:
    manages = actor.can(Capability.RECRUITMENT_ADMINISTER) or (
        actor.can(Capability.RECRUITMENT_TAKE_PART)
        and job_profile.hiring_chef_id == actor.person_id
    )
    member = None
    if actor.can(Capability.RECRUITMENT_TAKE_PART, Capability.RECRUITMENT_ADMINISTER):
        member = session.scalar(
            select(CommitteeMember).where(
                CommitteeMember.job_profile_id == job_profile.id,
                CommitteeMember.person_id == actor.person_id,
            )
        )
    return Standing(manages=manages, member=member)


def require_manager(session: Session, actor: Viewer, job_profile: JobProfile) -> Standing:
    """HR or the hiring chef; a stranger is told the vacancy does not exist."""
    where = standing(session, actor, job_profile)
    if not where.manages:
        if where.member is None:
            raise DomainError(ErrorCode.NOT_FOUND, "Jobprofilen findes ikke.", field="jobProfileId")
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "Ingen adgang: kun HR og den ansættende chef kan ændre jobprofilen.",
            field="jobProfileId",
        )
    return where


def require_any_standing(session: Session, actor: Viewer, job_profile: JobProfile) -> Standing:
    where = standing(session, actor, job_profile)
    if not where.manages and where.member is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Jobprofilen findes ikke.", field="jobProfileId")
    return where


def conflicted_candidate_ids(session: Session, member: CommitteeMember) -> set[int]:
    return set(
        session.scalars(
            select(ConflictDeclaration.candidate_id).where(
                ConflictDeclaration.member_id == member.id
            )
        )
    )


def may_see_candidate(session: Session, where: Standing, candidate: Candidate) -> bool:
    if where.manages:
        return True
    if not where.cleared:
        return False
    assert where.member is not None
    return candidate.id not in conflicted_candidate_ids(session, where.member)


def get_candidate(
    session: Session, actor: Viewer, candidate_id: int, *, field: str = "candidateId"
) -> tuple[Candidate, JobProfile, Standing]:
    """A candidate the actor may see; hidden ones are reported as missing, with the reason."""
    candidate = by_id(session, Candidate, candidate_id)
    if candidate is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Kandidaten findes ikke.", field=field)
    job_profile = get_job_profile(session, candidate.job_profile_id)
    where = standing(session, actor, job_profile)
    if where.manages:
        return candidate, job_profile, where
    if where.member is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Kandidaten findes ikke.", field=field)
    if not where.cleared:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "Du skal bekræfte tavshedspligten og erklære eventuelle interessekonflikter, "
            "før du kan se kandidaterne.",
            field=field,
        )
    if candidate.id in conflicted_candidate_ids(session, where.member):
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "Du har erklæret en interessekonflikt for denne kandidat og kan ikke se eller "
            "vurdere vedkommende.",
            field=field,
        )
    return candidate, job_profile, where
