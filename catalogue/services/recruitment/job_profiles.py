"""A vacancy's job profile: DRAFT → APPROVED (by the hiring chef) → IN_USE → CLOSED.

HR or the hiring chef choose statements with a priority while it is a draft; at most
seven may be MUST, because a profile where everything is a must prioritises nothing.
Approval freezes the choice; locking the first interview guide puts it IN_USE;
closing starts the retention clock for the candidates' data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import (
    JobProfile,
    JobProfileStatement,
    JobProfileStatus,
    OrgUnit,
    Person,
    Priority,
    RoleProfile,
)
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.capabilities import Capability
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.profiles import profile_by_version, statements_by_key
from catalogue.services.recruitment.access import by_id, get_job_profile, require_manager
from catalogue.services.validation import Checks

MAX_MUST = 7
TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 4000

STATUS_LABELS = {
    JobProfileStatus.DRAFT: "en kladde",
    JobProfileStatus.APPROVED: "godkendt",
    JobProfileStatus.IN_USE: "i brug",
    JobProfileStatus.CLOSED: "lukket",
}
TRANSITIONS: dict[JobProfileStatus, JobProfileStatus] = {
    JobProfileStatus.DRAFT: JobProfileStatus.APPROVED,
    JobProfileStatus.APPROVED: JobProfileStatus.IN_USE,
    JobProfileStatus.IN_USE: JobProfileStatus.CLOSED,
}
#: Role-profile importance (0–3) -> priority when a job profile starts from a role profile.
IMPORTANCE_PRIORITY = {3: Priority.MUST, 2: Priority.IMPORTANT, 1: Priority.NICE}


@dataclass(frozen=True)
class StatementChoice:
    statement_key: str
    priority: Priority
    behaviour: str = ""
    rationale: str = ""


def create_job_profile(
    session: Session,
    *,
    actor: Viewer,
    position_title: str,
    hiring_chef_id: int,
    org_unit_id: int | None = None,
    context: str = "",
    role_profile_id: int | None = None,
    now: datetime | None = None,
) -> JobProfile:
    """A DRAFT on the current profile version; from a role profile's importances if given."""
    if not actor.can(Capability.RECRUITMENT_ADMINISTER):
        raise DomainError(ErrorCode.FORBIDDEN, "Ingen adgang: kun HR kan oprette en jobprofil.")
    checks = Checks()
    title = checks.text(
        "positionTitle", position_title, label="Stillingsbetegnelsen", max_length=TITLE_MAX_LENGTH
    )
    clean_context = checks.text(
        "context",
        context,
        label="Beskrivelsen af stillingens kontekst",
        max_length=TEXT_MAX_LENGTH,
        required=False,
        multiline=True,
    )
    chef = by_id(session, Person, hiring_chef_id)
    if chef is None or not chef.active:
        checks.fail("hiringChefId", ErrorCode.NOT_FOUND, "Den ansættende chef findes ikke.")
    if org_unit_id is not None and by_id(session, OrgUnit, org_unit_id) is None:
        checks.fail("orgUnitId", ErrorCode.NOT_FOUND, "Enheden findes ikke.")
    role_profile = by_id(session, RoleProfile, role_profile_id) if role_profile_id else None
    if role_profile_id is not None and role_profile is None:
        checks.fail("roleProfileId", ErrorCode.NOT_FOUND, "Rolleprofilen findes ikke.")
    profile = profile_by_version(session, None)
    if profile is None:
        checks.fail(
            "profileVersion", ErrorCode.NOT_FOUND, "Der er ingen gældende kompetenceprofil."
        )
    checks.done()
    assert profile is not None
    job_profile = JobProfile(
        position_title=title or "",
        hiring_chef_id=hiring_chef_id,
        org_unit_id=org_unit_id,
        profile_id=profile.id,
        context=clean_context or "",
        role_profile_id=role_profile_id,
        created_by_id=actor.person_id,
    )
    session.add(job_profile)
    session.flush()
    if role_profile is not None:
        by_key = statements_by_key(session, profile.id)
        musts = 0
        for position, (key, importance) in enumerate(sorted(role_profile.importances.items()), 1):
            priority = IMPORTANCE_PRIORITY.get(importance)
            if priority is None or key not in by_key:
                continue
            if priority is Priority.MUST:
                musts += 1
                if musts > MAX_MUST:
                    priority = Priority.IMPORTANT
            session.add(
                JobProfileStatement(
                    job_profile_id=job_profile.id,
                    statement_id=by_key[key].id,
                    priority=priority,
                    position=position,
                    rationale=f"Fra rolleprofilen {role_profile.name}.",
                )
            )
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="JobProfile",
        entity_id=job_profile.id,
        action=AuditAction.JOB_PROFILE_CREATED,
        to_state=JobProfileStatus.DRAFT.value,
        details={"profile_version": profile.version, "role_profile_id": role_profile_id},
        at=now or utcnow(),
    )
    session.flush()
    return job_profile


def set_statements(
    session: Session,
    *,
    actor: Viewer,
    job_profile_id: int,
    choices: Sequence[StatementChoice],
    now: datetime | None = None,
) -> JobProfile:
    """Replace the prioritised choice of a DRAFT; every problem is reported at once."""
    job_profile = get_job_profile(session, job_profile_id, lock=True)
    require_manager(session, actor, job_profile)
    if job_profile.status is not JobProfileStatus.DRAFT:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"Jobprofilens udsagn kan kun ændres i en kladde; den er "
            f"{STATUS_LABELS[job_profile.status]}.",
            field="jobProfileId",
        )
    checks = Checks()
    by_key = statements_by_key(session, job_profile.profile_id)
    seen: set[str] = set()
    rows: list[JobProfileStatement] = []
    for index, choice in enumerate(choices):
        field = f"statements[{index}]"
        if choice.statement_key in seen:
            checks.fail(
                f"{field}.statementKey",
                ErrorCode.DUPLICATE,
                f"Udsagnet {choice.statement_key} er valgt to gange.",
            )
            continue
        seen.add(choice.statement_key)
        statement = by_key.get(choice.statement_key)
        if statement is None:
            checks.fail(
                f"{field}.statementKey",
                ErrorCode.NOT_FOUND,
                f"Udsagnet {choice.statement_key[:20]!r} findes ikke i jobprofilens "
                "kompetenceprofil.",
            )
        behaviour = checks.text(
            f"{field}.behaviour",
            choice.behaviour,
            label="Den ønskede adfærd",
            max_length=TEXT_MAX_LENGTH,
            required=choice.priority is Priority.MUST,
            multiline=True,
        )
        rationale = checks.text(
            f"{field}.rationale",
            choice.rationale,
            label="Begrundelsen",
            max_length=TEXT_MAX_LENGTH,
            required=False,
            multiline=True,
        )
        if statement is not None:
            rows.append(
                JobProfileStatement(
                    statement_id=statement.id,
                    priority=choice.priority,
                    position=index + 1,
                    behaviour=behaviour or "",
                    rationale=rationale or "",
                )
            )
    musts = sum(1 for choice in choices if choice.priority is Priority.MUST)
    if musts > MAX_MUST:
        checks.fail(
            "statements",
            ErrorCode.INVALID,
            f"Højst {MAX_MUST} udsagn kan være SKAL (fik {musts}); gør nogle til VIGTIG eller KAN.",
        )
    checks.done()
    job_profile.statements.clear()
    session.flush()
    job_profile.statements.extend(rows)
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="JobProfile",
        entity_id=job_profile.id,
        action=AuditAction.JOB_PROFILE_STATEMENTS_SET,
        details={"statements": len(rows), "must": musts},
        at=now or utcnow(),
    )
    session.flush()
    return job_profile


def move(
    session: Session,
    job_profile: JobProfile,
    target: JobProfileStatus,
    *,
    actor_id: int | None,
    now: datetime,
) -> None:
    """One step of the state machine, audited; anything else is a clear refusal."""
    if TRANSITIONS.get(job_profile.status) is not target:
        raise DomainError(
            ErrorCode.INVALID_TRANSITION,
            f"Jobprofilen kan ikke blive {STATUS_LABELS[target]}, fordi den er "
            f"{STATUS_LABELS[job_profile.status]}.",
            field="jobProfileId",
        )
    action = {
        JobProfileStatus.APPROVED: AuditAction.JOB_PROFILE_APPROVED,
        JobProfileStatus.IN_USE: AuditAction.JOB_PROFILE_IN_USE,
        JobProfileStatus.CLOSED: AuditAction.JOB_PROFILE_CLOSED,
    }[target]
    record_change(
        session,
        actor_id=actor_id,
        entity_type="JobProfile",
        entity_id=job_profile.id,
        action=action,
        from_state=job_profile.status.value,
        to_state=target.value,
        at=now,
    )
    job_profile.status = target
    if target is JobProfileStatus.APPROVED:
        job_profile.approved_at = now
    if target is JobProfileStatus.CLOSED:
        job_profile.closed_at = now


def approve(
    session: Session, *, actor: Viewer, job_profile_id: int, now: datetime | None = None
) -> JobProfile:
    """The hiring chef approves the draft; it needs at least one MUST statement."""
    job_profile = get_job_profile(session, job_profile_id, lock=True)
    require_manager(session, actor, job_profile)
    if job_profile.hiring_chef_id != actor.person_id:
        raise DomainError(
            ErrorCode.FORBIDDEN,
            "Kun den ansættende chef kan godkende jobprofilen.",
            field="jobProfileId",
        )
    if job_profile.status is JobProfileStatus.DRAFT and not any(
        row.priority is Priority.MUST for row in job_profile.statements
    ):
        raise DomainError(
            ErrorCode.INVALID,
            "Jobprofilen skal have mindst ét SKAL-udsagn, før den kan godkendes.",
            field="statements",
        )
    move(
        session,
        job_profile,
        JobProfileStatus.APPROVED,
        actor_id=actor.person_id,
        now=now or utcnow(),
    )
    session.flush()
    return job_profile


def close(
    session: Session, *, actor: Viewer, job_profile_id: int, now: datetime | None = None
) -> JobProfile:
    """IN_USE → CLOSED; the retention period for candidate data runs from here."""
    job_profile = get_job_profile(session, job_profile_id, lock=True)
    require_manager(session, actor, job_profile)
    move(
        session, job_profile, JobProfileStatus.CLOSED, actor_id=actor.person_id, now=now or utcnow()
    )
    session.flush()
    return job_profile


def prioritised_statements(session: Session, job_profile_id: int) -> list[JobProfileStatement]:
    return list(
        session.scalars(
            select(JobProfileStatement)
            .where(JobProfileStatement.job_profile_id == job_profile_id)
            .order_by(JobProfileStatement.position)
        )
    )
