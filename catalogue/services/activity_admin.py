"""HR's curation of a course's activities (modules, sessions, e-learning units)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import Activity, ActivityKind, CourseStatus
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.course_admin import get_course, touch
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.validation import Checks


@dataclass(frozen=True)
class ActivityData:
    title: str | None = None
    kind: ActivityKind | None = None
    required: bool | None = None
    duration_hours: float | None = None
    position: int | None = None
    lms_module_id: str | None = None


def get_activity(session: Session, activity_id: int, *, field: str = "id") -> Activity:
    activity = session.get(Activity, activity_id)
    if activity is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Aktiviteten findes ikke.", field=field)
    return activity


def _check(
    session: Session,
    data: ActivityData,
    *,
    creating: bool,
    course_id: int,
    activity_id: int | None,
    code: str | None = None,
) -> tuple[str | None, str | None]:
    """Every problem of the input at once (fields, code, clashes); the title and code, cleaned."""
    checks = Checks()
    if code is not None:
        code = checks.code(session, Activity.code, code, what="en aktivitet")
    title = checks.text(
        "title",
        data.title,
        label="Titlen",
        max_length=300,
        required=creating or data.title is not None,
    )
    if creating and data.kind is None:
        checks.fail("kind", ErrorCode.REQUIRED, "Vælg en slags aktivitet (kind).")
    checks.number(
        "durationHours",
        data.duration_hours,
        label="Varigheden",
        strictly_positive=True,
        maximum=10000,
    )
    checks.number("position", data.position, label="Placeringen", minimum=1, maximum=1000)
    module = checks.text(
        "lmsModuleId", data.lms_module_id, label="LMS-modul-id", max_length=64, required=False
    )
    if module and session.scalar(
        select(Activity.id).where(
            Activity.lms_module_id == module, Activity.id != (activity_id or -1)
        )
    ):
        checks.fail("lmsModuleId", ErrorCode.DUPLICATE, f"LMS-modul-id {module} bruges allerede.")
    if title and session.scalar(
        select(Activity.id).where(
            Activity.course_id == course_id,
            func.lower(Activity.title) == title.lower(),
            Activity.archived_at.is_(None),
            Activity.id != (activity_id or -1),
        )
    ):
        checks.fail(
            "title", ErrorCode.DUPLICATE, f"Kurset har allerede en aktivitet med titlen »{title}«."
        )
    checks.done()
    return title, code


def create_activity(
    session: Session, *, actor: Viewer, course_id: int, data: ActivityData, code: str | None
) -> Activity:
    course = get_course(session, course_id, field="courseId")
    if course.status is CourseStatus.ARCHIVED:
        raise DomainError(ErrorCode.ARCHIVED, "Kurset er arkiveret.", field="courseId")
    title, code = _check(
        session, data, creating=True, course_id=course.id, activity_id=None, code=code
    )
    assert title is not None
    assert data.kind is not None
    last = (
        session.scalar(select(func.max(Activity.position)).where(Activity.course_id == course.id))
        or 0
    )
    activity = Activity(
        course_id=course.id,
        code=code or f"{course.code}-A{last + 1}",
        title=title,
        kind=data.kind,
        required=True if data.required is None else data.required,
        duration_hours=data.duration_hours,
        position=data.position or last + 1,
        lms_module_id=(data.lms_module_id or "").strip() or None,
    )
    session.add(activity)
    touch(course)
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="Activity",
        entity_id=activity.id,
        course_id=activity.course_id,
        action=AuditAction.ACTIVITY_CREATED,
        details={"course_id": course.id},
    )
    return activity


def update_activity(
    session: Session, *, actor: Viewer, activity_id: int, data: ActivityData
) -> Activity:
    activity = get_activity(session, activity_id)
    if activity.archived_at is not None:
        raise DomainError(ErrorCode.ARCHIVED, "Aktiviteten er arkiveret.", field="id")
    title, _ = _check(
        session, data, creating=False, course_id=activity.course_id, activity_id=activity.id
    )
    changes = {
        "title": title,
        "kind": data.kind,
        "required": data.required,
        "duration_hours": data.duration_hours,
        "position": data.position,
        "lms_module_id": (data.lms_module_id or "").strip() or None,
    }
    changed = sorted(
        name
        for name, value in changes.items()
        if value is not None and getattr(activity, name) != value
    )
    for name in changed:
        setattr(activity, name, changes[name])
    if changed:
        touch(activity.course)
        record_change(
            session,
            actor_id=actor.person_id,
            entity_type="Activity",
            entity_id=activity.id,
            course_id=activity.course_id,
            action=AuditAction.ACTIVITY_UPDATED,
            details={"fields": changed},
        )
    return activity


def archive_activity(session: Session, *, actor: Viewer, activity_id: int) -> Activity:
    """The activity stays readable (a tombstone) with its links and completions."""
    activity = get_activity(session, activity_id)
    if activity.archived_at is None:
        activity.archived_at = utcnow()
        touch(activity.course)
        record_change(
            session,
            actor_id=actor.person_id,
            entity_type="Activity",
            entity_id=activity.id,
            course_id=activity.course_id,
            action=AuditAction.ACTIVITY_ARCHIVED,
        )
    return activity
