"""Writing the audit log: every change with who, when, from, to and why."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, or_, select
from sqlalchemy.orm import Session

from catalogue.models import AuditLogEntry
from catalogue.models.base import utcnow


def record_change(
    session: Session,
    *,
    actor_id: int | None,
    entity_type: str,
    entity_id: int,
    action: str,
    from_state: str | None = None,
    to_state: str | None = None,
    reason: str | None = None,
    details: dict[str, Any] | None = None,
    person_id: int | None = None,
    course_id: int | None = None,
    at: datetime | None = None,
) -> AuditLogEntry:
    """Add an audit row to the caller's transaction, so it commits or rolls back with the change.

    ``person_id`` (whose data changed) and ``course_id`` (the course concerned) let
    HR filter the log by person and by course.
    """
    entry = AuditLogEntry(
        at=at or utcnow(),
        actor_id=actor_id,
        person_id=person_id,
        course_id=course_id,
        entity_type=entity_type,
        entity_id=entity_id,
        action=action,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        details=details or {},
    )
    session.add(entry)
    return entry


def audit_statement(
    *,
    person_id: int | None = None,
    actor_id: int | None = None,
    course_id: int | None = None,
    entity_type: str | None = None,
    entity_id: int | None = None,
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
    if since is not None:
        statement = statement.where(AuditLogEntry.at >= since)
    if until is not None:
        statement = statement.where(AuditLogEntry.at < until)
    return statement
