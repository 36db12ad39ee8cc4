"""Writing the audit log: every change with who, when, from, to and why.

``AuditAction`` names every action the log holds, in one spelling: the entity and
what happened to it, upper case (``COURSE_CREATED``, ``ENROLMENT_WITHDRAWN``), so
HR can filter the log by one enum instead of guessing each writer's habit. A writer
passes a member, never a string; migration 0005d renamed the older lower-case
enrolment actions.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any, NotRequired, TypedDict, Unpack

from sqlalchemy import Select, Table, and_, or_, select
from sqlalchemy.orm import Session

from catalogue.models import AuditLogEntry
from catalogue.models.base import utcnow
from catalogue.services.bulk_insert import insert_many


class AuditAction(StrEnum):
    """Every action written to the audit log; the stored value is the member's name."""

    PROFILE_VERSION_CREATED = "PROFILE_VERSION_CREATED"
    #: Live links an older version had left behind, retired as tombstones by a seed.
    PROFILE_LINKS_RETIRED = "PROFILE_LINKS_RETIRED"
    COURSE_CREATED = "COURSE_CREATED"
    COURSE_UPDATED = "COURSE_UPDATED"
    COURSE_PUBLISHED = "COURSE_PUBLISHED"
    COURSE_ARCHIVED = "COURSE_ARCHIVED"
    ACTIVITY_CREATED = "ACTIVITY_CREATED"
    ACTIVITY_UPDATED = "ACTIVITY_UPDATED"
    ACTIVITY_ARCHIVED = "ACTIVITY_ARCHIVED"
    RUN_CREATED = "RUN_CREATED"
    RUN_UPDATED = "RUN_UPDATED"
    RUN_CANCELLED = "RUN_CANCELLED"
    LINK_CREATED = "LINK_CREATED"
    LINK_UPDATED = "LINK_UPDATED"
    LINK_RESTORED = "LINK_RESTORED"
    LINK_REMOVED = "LINK_REMOVED"
    ENROLMENT_REQUESTED = "ENROLMENT_REQUESTED"
    ENROLMENT_APPROVED = "ENROLMENT_APPROVED"
    ENROLMENT_REJECTED = "ENROLMENT_REJECTED"
    ENROLMENT_ENROLLED = "ENROLMENT_ENROLLED"
    ENROLMENT_WAITLISTED = "ENROLMENT_WAITLISTED"
    ENROLMENT_PROMOTED = "ENROLMENT_PROMOTED"
    ENROLMENT_STARTED = "ENROLMENT_STARTED"
    ENROLMENT_COMPLETED = "ENROLMENT_COMPLETED"
    ENROLMENT_FAILED = "ENROLMENT_FAILED"
    ENROLMENT_WITHDRAWN = "ENROLMENT_WITHDRAWN"
    COMPLETION_RECORDED = "COMPLETION_RECORDED"
    SEARCH_SYNONYM_ADDED = "SEARCH_SYNONYM_ADDED"
    SEARCH_SYNONYM_REMOVED = "SEARCH_SYNONYM_REMOVED"
    #: A provider token of someone not provisioned created them (CATALOGUE_OIDC_CREATE_PEOPLE).
    PERSON_CREATED_AT_LOGIN = "PERSON_CREATED_AT_LOGIN"
    #: ADMIN exported everything held on a person (GDPR art. 15); the entry holds no data.
    PERSON_DATA_EXPORTED = "PERSON_DATA_EXPORTED"
    #: A person's personal data removed or anonymised (GDPR art. 17); what was erased is
    #: counted, never repeated.
    PERSON_ERASED = "PERSON_ERASED"
    #: The people directory (services/directory.py): provisioning by SCIM or an HR file.
    PERSON_CREATED = "PERSON_CREATED"
    PERSON_UPDATED = "PERSON_UPDATED"
    PERSON_DEACTIVATED = "PERSON_DEACTIVATED"
    PERSON_REACTIVATED = "PERSON_REACTIVATED"
    #: Removed by the provisioning client (SCIM DELETE): deactivated and no longer listed.
    PERSON_DEPROVISIONED = "PERSON_DEPROVISIONED"
    PERSON_MANAGER_CHANGED = "PERSON_MANAGER_CHANGED"
    PERSON_ROLES_CHANGED = "PERSON_ROLES_CHANGED"
    ORG_UNIT_CREATED = "ORG_UNIT_CREATED"
    ORG_UNIT_RENAMED = "ORG_UNIT_RENAMED"
    ORG_UNIT_MOVED = "ORG_UNIT_MOVED"
    ROLE_GROUP_CREATED = "ROLE_GROUP_CREATED"
    ROLE_GROUP_UPDATED = "ROLE_GROUP_UPDATED"
    ROLE_GROUP_DELETED = "ROLE_GROUP_DELETED"
    #: Evaluation rounds and who is asked. Answers are never audited: an entry per answer
    #: would tie a respondent's link to the moment their answers were stored.
    EVALUATION_ROUND_CREATED = "EVALUATION_ROUND_CREATED"
    EVALUATION_ROUND_UPDATED = "EVALUATION_ROUND_UPDATED"
    EVALUATION_ROUND_OPENED = "EVALUATION_ROUND_OPENED"
    EVALUATION_ROUND_CLOSED = "EVALUATION_ROUND_CLOSED"
    EVALUATION_ROUND_RELEASED = "EVALUATION_ROUND_RELEASED"
    EVALUATION_ROUND_ARCHIVED = "EVALUATION_ROUND_ARCHIVED"
    EVALUATEE_ADDED = "EVALUATEE_ADDED"
    EVALUATION_RESPONDENT_ADDED = "EVALUATION_RESPONDENT_ADDED"
    EVALUATION_PEER_PROPOSED = "EVALUATION_PEER_PROPOSED"
    EVALUATION_PEER_APPROVED = "EVALUATION_PEER_APPROVED"
    EVALUATION_PEER_REJECTED = "EVALUATION_PEER_REJECTED"
    DIALOGUE_CYCLE_CREATED = "DIALOGUE_CYCLE_CREATED"
    DIALOGUE_CYCLE_OPENED = "DIALOGUE_CYCLE_OPENED"
    DIALOGUE_CYCLE_CLOSED = "DIALOGUE_CYCLE_CLOSED"
    DIALOGUE_CYCLE_ARCHIVED = "DIALOGUE_CYCLE_ARCHIVED"
    ROLE_PROFILE_SAVED = "ROLE_PROFILE_SAVED"
    DIALOGUE_INVITED = "DIALOGUE_INVITED"
    DIALOGUE_PREPARATION_STARTED = "DIALOGUE_PREPARATION_STARTED"
    DIALOGUE_PREPARATION_SUBMITTED = "DIALOGUE_PREPARATION_SUBMITTED"
    DIALOGUE_READY = "DIALOGUE_READY"
    DIALOGUE_HELD = "DIALOGUE_HELD"
    DIALOGUE_SUMMARY_CONFIRMED = "DIALOGUE_SUMMARY_CONFIRMED"
    DIALOGUE_AGREED = "DIALOGUE_AGREED"
    DIALOGUE_FOLLOWED_UP = "DIALOGUE_FOLLOWED_UP"
    DIALOGUE_CLOSED = "DIALOGUE_CLOSED"
    DIALOGUE_REOPENED = "DIALOGUE_REOPENED"
    #: A manager change moved an open dialogue to the new chef.
    DIALOGUE_CHEF_CHANGED = "DIALOGUE_CHEF_CHANGED"
    #: Someone other than the leader and the chef read a single dialogue.
    DIALOGUE_READ = "DIALOGUE_READ"
    DEVELOPMENT_ACTION_STATUS_CHANGED = "DEVELOPMENT_ACTION_STATUS_CHANGED"
    JOB_PROFILE_CREATED = "JOB_PROFILE_CREATED"
    JOB_PROFILE_STATEMENTS_SET = "JOB_PROFILE_STATEMENTS_SET"
    JOB_PROFILE_APPROVED = "JOB_PROFILE_APPROVED"
    JOB_PROFILE_IN_USE = "JOB_PROFILE_IN_USE"
    JOB_PROFILE_CLOSED = "JOB_PROFILE_CLOSED"
    INTERVIEW_GUIDE_SAVED = "INTERVIEW_GUIDE_SAVED"
    INTERVIEW_GUIDE_LOCKED = "INTERVIEW_GUIDE_LOCKED"
    COMMITTEE_MEMBER_ADDED = "COMMITTEE_MEMBER_ADDED"
    COMMITTEE_CONFIDENTIALITY_CONFIRMED = "COMMITTEE_CONFIDENTIALITY_CONFIRMED"
    COMMITTEE_CONFLICTS_DECLARED = "COMMITTEE_CONFLICTS_DECLARED"
    CANDIDATE_ADDED = "CANDIDATE_ADDED"
    #: Anyone read a candidate's personal data or scores.
    CANDIDATE_READ = "CANDIDATE_READ"
    INTERVIEW_SCHEDULED = "INTERVIEW_SCHEDULED"
    SCORECARD_SUBMITTED = "SCORECARD_SUBMITTED"
    CALIBRATION_NOTE_SAVED = "CALIBRATION_NOTE_SAVED"
    COMMITTEE_RECOMMENDATION_RECORDED = "COMMITTEE_RECOMMENDATION_RECORDED"
    CANDIDATE_HIRED = "CANDIDATE_HIRED"
    #: The retention task anonymised a closed vacancy's candidates and scorecards.
    CANDIDATES_ERASED = "CANDIDATES_ERASED"


class AuditChange(TypedDict):
    """One change for the log; ``person_id`` and ``course_id`` let HR filter by them."""

    actor_id: int | None
    entity_type: str
    entity_id: int
    action: AuditAction
    from_state: NotRequired[str | None]
    to_state: NotRequired[str | None]
    reason: NotRequired[str | None]
    details: NotRequired[dict[str, Any] | None]
    person_id: NotRequired[int | None]
    course_id: NotRequired[int | None]
    at: NotRequired[datetime | None]


def audit_row(**change: Unpack[AuditChange]) -> dict[str, Any]:
    """The column values of one audit row; bulk writers insert many of these at once."""
    get = change.get
    return {
        "at": get("at") or utcnow(),
        "actor_id": change["actor_id"],
        "person_id": get("person_id"),
        "course_id": get("course_id"),
        "entity_type": change["entity_type"],
        "entity_id": change["entity_id"],
        "action": AuditAction(change["action"]).value,
        "from_state": get("from_state"),
        "to_state": get("to_state"),
        "reason": get("reason"),
        "details": get("details") or {},
    }


def record_change(session: Session, **change: Unpack[AuditChange]) -> AuditLogEntry:
    """Add an audit row (``audit_row``'s arguments) to the caller's transaction.

    It commits or rolls back with the change it records.
    """
    entry = AuditLogEntry(**audit_row(**change))
    session.add(entry)
    return entry


def record_changes(session: Session, rows: list[dict[str, Any]]) -> None:
    """Insert many ``audit_row`` rows in one statement, in the caller's transaction."""
    table = AuditLogEntry.__table__
    assert isinstance(table, Table)
    insert_many(session, table, rows)


def audit_statement(
    *,
    person_id: int | None = None,
    actor_id: int | None = None,
    course_id: int | None = None,
    entity_type: str | None = None,
    entity_id: int | None = None,
    action: AuditAction | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> Select[AuditLogEntry]:
    """Entries newest first (then by id, so pages are stable), filtered as asked.

    By course: entries that name the course in ``course_id`` and the course's own entries.
    """
    statement = select(AuditLogEntry).order_by(AuditLogEntry.at.desc(), AuditLogEntry.id.desc())
    if person_id is not None:
        statement = statement.where(AuditLogEntry.person_id == person_id)
    if actor_id is not None:
        statement = statement.where(AuditLogEntry.actor_id == actor_id)
    if course_id is not None:
        statement = statement.where(
            or_(
                AuditLogEntry.course_id == course_id,
                and_(AuditLogEntry.entity_type == "Course", AuditLogEntry.entity_id == course_id),
            )
        )
    if entity_type is not None:
        statement = statement.where(AuditLogEntry.entity_type == entity_type)
    if entity_id is not None:
        statement = statement.where(AuditLogEntry.entity_id == entity_id)
    if action is not None:
        statement = statement.where(AuditLogEntry.action == AuditAction(action).value)
    if since is not None:
        statement = statement.where(AuditLogEntry.at >= since)
    if until is not None:
        statement = statement.where(AuditLogEntry.at < until)
    return statement
