"""HR's curation of courses: create, update, publish and archive, each audited.

A course is DRAFT until published; archiving keeps it readable with its links
and history (a tombstone for the LMS). ``expected_updated_at`` lets an editor
detect that someone else saved the course in the meantime.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import Course, CourseKind, CourseStatus
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.edit_conflicts import refuse_stale_edit, stamp_changed
from catalogue.services.enrolments import people_on_open_runs
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.validation import Checks

LANGUAGES = ("da", "en")
_DANISH_LETTERS = str.maketrans({"Æ": "AE", "Ø": "OE", "Å": "AA", "æ": "AE", "ø": "OE", "å": "AA"})


@dataclass(frozen=True)
class CourseData:
    """Editable course fields; on update, ``None`` means "leave as it is"."""

    title: str | None = None
    summary: str | None = None
    kind: CourseKind | None = None
    provider: str | None = None
    language: str | None = None
    duration_hours: float | None = None
    ects: float | None = None
    price_dkk: int | None = None
    audience: str | None = None
    lms_course_id: str | None = None


def get_course(session: Session, course_id: int, *, field: str = "id") -> Course:
    course = session.get(Course, course_id)
    if course is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Kurset findes ikke.", field=field)
    return course


def touch(course: Course) -> None:
    """A change to a course's activities, runs or links is a change to the course for the LMS."""
    stamp_changed(course)


def _title_taken(session: Session, title: str, course_id: int | None) -> bool:
    """Two live courses with one title confuse leaders, and a resent create would make one."""
    clash = session.scalar(
        select(Course.id).where(
            func.lower(Course.title) == title.lower(),
            Course.status != CourseStatus.ARCHIVED,
            Course.id != (course_id or -1),
        )
    )
    return clash is not None


def _check(
    session: Session,
    data: CourseData,
    *,
    creating: bool,
    course_id: int | None,
    code: str | None = None,
) -> tuple[CourseData, str | None]:
    """Every problem of the input at once (fields, code, clashes); the cleaned data and code."""
    checks = Checks()
    if code is not None:
        code = checks.code(session, Course.code, code, what="et kursus")
    # On update None leaves the title alone, but an empty one is still no title.
    title = checks.text(
        "title",
        data.title,
        label="Titlen",
        max_length=300,
        required=creating or data.title is not None,
    )
    summary = checks.text(
        "summary", data.summary, label="Resuméet", max_length=5000, required=False, multiline=True
    )
    provider = checks.text(
        "provider", data.provider, label="Udbyderen", max_length=200, required=False
    )
    audience = checks.text(
        "audience",
        data.audience,
        label="Målgruppen",
        max_length=2000,
        required=False,
        multiline=True,
    )
    if creating and data.kind is None:
        checks.fail("kind", ErrorCode.REQUIRED, "Vælg en slags tilbud (kind).")
    if data.language is not None and data.language not in LANGUAGES:
        checks.fail("language", ErrorCode.INVALID, "Sproget skal være 'da' eller 'en'.")
    checks.number(
        "durationHours",
        data.duration_hours,
        label="Varigheden",
        strictly_positive=True,
        maximum=10000,
    )
    checks.number("ects", data.ects, label="ECTS", maximum=300)
    checks.number("priceDkk", data.price_dkk, label="Prisen", maximum=10_000_000)
    lms_id = checks.text(
        "lmsCourseId", data.lms_course_id, label="LMS-id", max_length=64, required=False
    )
    if title and _title_taken(session, title, course_id):
        checks.fail(
            "title",
            ErrorCode.DUPLICATE,
            f"Der findes allerede et kursus med titlen »{title}«; vælg en anden titel.",
        )
    if lms_id:
        clash = session.scalar(
            select(Course.id).where(Course.lms_course_id == lms_id, Course.id != (course_id or -1))
        )
        if clash is not None:
            checks.fail(
                "lmsCourseId",
                ErrorCode.DUPLICATE,
                f"LMS-id {lms_id} bruges allerede af et andet kursus.",
            )
    checks.done()
    clean = CourseData(
        title=title,
        summary=summary,
        kind=data.kind,
        provider=provider,
        language=data.language,
        duration_hours=data.duration_hours,
        ects=data.ects,
        price_dkk=data.price_dkk,
        audience=audience,
        lms_course_id=lms_id or None,
    )
    return clean, code


def _code_from_title(session: Session, title: str) -> str:
    ascii_title = unicodedata.normalize("NFKD", title.translate(_DANISH_LETTERS)).encode(
        "ascii", "ignore"
    )
    base = re.sub(r"[^A-Z0-9]+", "-", ascii_title.decode().upper()).strip("-")[:40] or "KURSUS"
    code, suffix = base, 1
    while session.scalar(select(Course.id).where(Course.code == code)) is not None:
        suffix += 1
        code = f"{base}-{suffix}"
    return code


def create_course(session: Session, *, actor: Viewer, data: CourseData, code: str | None) -> Course:
    clean, code = _check(session, data, creating=True, course_id=None, code=code)
    assert clean.title is not None
    assert clean.kind is not None
    course = Course(
        code=code or _code_from_title(session, clean.title),
        title=clean.title,
        summary=clean.summary or "",
        kind=clean.kind,
        status=CourseStatus.DRAFT,
        provider=clean.provider or "",
        language=clean.language or "da",
        duration_hours=clean.duration_hours,
        ects=clean.ects,
        price_dkk=clean.price_dkk,
        audience=clean.audience or "",
        lms_course_id=clean.lms_course_id,
    )
    session.add(course)
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="Course",
        entity_id=course.id,
        course_id=course.id,
        action=AuditAction.COURSE_CREATED,
        to_state=course.status.value,
    )
    return course


def _ensure_editable(course: Course, expected_updated_at: datetime | None) -> None:
    if course.status is CourseStatus.ARCHIVED:
        raise DomainError(
            ErrorCode.ARCHIVED, "Kurset er arkiveret; genudgiv det, før det kan ændres.", field="id"
        )
    refuse_stale_edit(course, expected_updated_at, what="Kurset")


def update_course(
    session: Session,
    *,
    actor: Viewer,
    course_id: int,
    data: CourseData,
    expected_updated_at: datetime | None = None,
) -> Course:
    course = get_course(session, course_id)
    _ensure_editable(course, expected_updated_at)
    clean, _ = _check(session, data, creating=False, course_id=course.id)
    changed: dict[str, object] = {}
    for item in fields(CourseData):
        value = getattr(clean, item.name)
        if value is not None and getattr(course, item.name) != value:
            changed[item.name] = value
            setattr(course, item.name, value)
    if changed:
        touch(course)
        record_change(
            session,
            actor_id=actor.person_id,
            entity_type="Course",
            entity_id=course.id,
            course_id=course.id,
            action=AuditAction.COURSE_UPDATED,
            details={"fields": sorted(changed)},
        )
    return course


def publish_course(session: Session, *, actor: Viewer, course_id: int) -> Course:
    """DRAFT or ARCHIVED to PUBLISHED; publishing a published course changes nothing."""
    course = get_course(session, course_id)
    if course.status is CourseStatus.PUBLISHED:
        return course
    previous = course.status
    course.status = CourseStatus.PUBLISHED
    course.published_at = course.published_at or utcnow()
    course.archived_at = None
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="Course",
        entity_id=course.id,
        course_id=course.id,
        action=AuditAction.COURSE_PUBLISHED,
        from_state=previous.value,
        to_state=course.status.value,
    )
    return course


def archive_course(
    session: Session, *, actor: Viewer, course_id: int, reason: str | None
) -> Course:
    """Archived courses stay readable with links and history; archiving twice changes nothing.

    Refused while a run that is not over has people on it or waiting for it: they
    would stay enrolled on a course nobody offers. HR cancels those runs first,
    which withdraws the people with the reason (``run_admin.cancel_run``).
    """
    course = get_course(session, course_id)
    if course.status is CourseStatus.ARCHIVED:
        return course
    checks = Checks()
    cleaned = checks.text(
        "reason", reason, label="Begrundelsen", max_length=2000, required=False, multiline=True
    )
    checks.done()
    if waiting := people_on_open_runs(session, course.id, now=utcnow()):
        raise DomainError(
            ErrorCode.HAS_PARTICIPANTS,
            "Kurset kan ikke arkiveres, mens hold, der ikke er slut, har deltagere: "
            f"{'; '.join(waiting)}. Aflys holdene først (courseRunCancel); så afmeldes "
            "deltagerne med begrundelsen.",
            field="id",
        )
    previous = course.status
    course.status = CourseStatus.ARCHIVED
    course.archived_at = utcnow()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="Course",
        entity_id=course.id,
        course_id=course.id,
        action=AuditAction.COURSE_ARCHIVED,
        from_state=previous.value,
        to_state=course.status.value,
        reason=cleaned or None,
    )
    return course
