"""HR's planning of course runs (hold): dates, place, seats, deadline, approval.

Date rules: a run is planned ahead, so a new run (or a run moved to a new start)
does not start in the past; and a run lasts: it ends strictly after it starts. A
run with no duration (end equal to start) is refused, as it would be a calendar
entry of no length and is in practice a mistyped end; a one-day course ends on
the same day at its closing time, an e-learning run at the end of its last day.

A run's sessions (its teaching days, ``run_sessions.py``) come with the run's own
mutations and are checked with its other fields, so every problem is named at once.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from catalogue.models import CourseRun, CourseStatus
from catalogue.models.base import utcnow
from catalogue.services.audit import AuditAction, record_change
from catalogue.services.catalogue_queries import seats_taken
from catalogue.services.course_admin import get_course, touch
from catalogue.services.enrolments import withdraw_everyone_from
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.run_sessions import (
    CleanSession,
    SessionData,
    check_sessions,
    replace_sessions,
    sessions_outside,
)
from catalogue.services.validation import Checks

MAX_CAPACITY = 10_000


@dataclass(frozen=True)
class RunData:
    starts_at: datetime | None = None
    ends_at: datetime | None = None
    location: str | None = None
    online: bool | None = None
    capacity: int | None = None
    unlimited: bool = False
    enrolment_deadline: datetime | None = None
    approval_required: bool | None = None
    #: The run's sessions, replacing those it has; ``None`` leaves them as they are.
    sessions: Sequence[SessionData] | None = None


def get_run(session: Session, run_id: int, *, field: str = "id") -> CourseRun:
    run = session.get(CourseRun, run_id)
    if run is None:
        raise DomainError(ErrorCode.NOT_FOUND, "Holdet findes ikke.", field=field)
    return run


def _check(
    checks: Checks,
    data: RunData,
    *,
    starts_at: datetime | None,
    ends_at: datetime | None,
    creating: bool,
    previous_start: datetime | None = None,
    run: CourseRun | None = None,
) -> tuple[str | None, list[CleanSession] | None]:
    """Every problem with ``data``'s own fields and sessions into ``checks``; both cleaned.

    ``starts_at``/``ends_at`` are the run's dates after the change. The date rules
    apply to the dates being set: a run already under way can still get a new place.
    The caller adds the checks against stored rows and reports everything at once.
    """
    if creating and data.starts_at is None:
        checks.fail("startsAt", ErrorCode.REQUIRED, "Startdato skal udfyldes.")
    if creating and data.ends_at is None:
        checks.fail("endsAt", ErrorCode.REQUIRED, "Slutdato skal udfyldes.")
    checks.aware("startsAt", data.starts_at, label="Starttidspunktet")
    checks.aware("endsAt", data.ends_at, label="Sluttidspunktet")
    checks.aware("enrolmentDeadline", data.enrolment_deadline, label="Tilmeldingsfristen")
    location = checks.text(
        "location", data.location, label="Stedet", max_length=300, required=False
    )
    checks.number("capacity", data.capacity, label="Antal pladser", minimum=1, maximum=MAX_CAPACITY)
    if data.capacity is not None and data.unlimited:
        checks.fail(
            "unlimited",
            ErrorCode.INVALID,
            "Angiv enten et antal pladser eller ubegrænset, ikke begge.",
        )
    aware = all(
        v is None or v.tzinfo is not None for v in (starts_at, ends_at, data.enrolment_deadline)
    )
    moved = data.starts_at is not None and data.starts_at != previous_start
    if aware and moved and data.starts_at is not None and data.starts_at < utcnow():
        checks.fail(
            "startsAt",
            ErrorCode.INVALID,
            "Et hold kan ikke starte i fortiden; vælg et starttidspunkt fra nu af.",
        )
    dates_set = data.starts_at is not None or data.ends_at is not None
    if aware and dates_set and starts_at and ends_at and ends_at <= starts_at:
        checks.fail(
            "endsAt",
            ErrorCode.INVALID,
            "Holdet skal slutte efter, at det starter (et hold uden varighed er ikke tilladt).",
        )
    if aware and starts_at and data.enrolment_deadline and data.enrolment_deadline > starts_at:
        checks.fail(
            "enrolmentDeadline",
            ErrorCode.INVALID,
            "Tilmeldingsfristen skal ligge før holdets start.",
        )
    dates_ok = aware and bool(starts_at and ends_at and ends_at > starts_at)
    sessions = None
    if data.sessions is not None:
        sessions = check_sessions(
            checks,
            data.sessions,
            run=run,
            starts_at=starts_at if dates_ok else None,
            ends_at=ends_at if dates_ok else None,
        )
    elif (
        run is not None
        and dates_set
        and dates_ok
        and starts_at
        and ends_at
        and sessions_outside(run, starts_at, ends_at)
    ):
        checks.fail(
            "startsAt" if data.starts_at is not None else "endsAt",
            ErrorCode.CONFLICT,
            "Holdets sessioner skal ligge inden for holdets datoer; "
            "send de flyttede sessioner med i 'sessions'.",
        )
    return location, sessions


def create_run(
    session: Session, *, actor: Viewer, course_id: int, data: RunData, code: str | None
) -> CourseRun:
    course = get_course(session, course_id, field="courseId")
    if course.status is CourseStatus.ARCHIVED:
        raise DomainError(ErrorCode.ARCHIVED, "Kurset er arkiveret.", field="courseId")
    checks = Checks()
    location, sessions = _check(
        checks, data, starts_at=data.starts_at, ends_at=data.ends_at, creating=True
    )
    if code is not None:
        code = checks.code(session, CourseRun.code, code, what="et hold")
    if data.starts_at is not None and session.scalar(
        select(CourseRun.id).where(
            CourseRun.course_id == course.id,
            CourseRun.starts_at == data.starts_at,
            CourseRun.cancelled_at.is_(None),
        )
    ):
        checks.fail(
            "startsAt",
            ErrorCode.DUPLICATE,
            "Kurset har allerede et hold, der starter på det tidspunkt.",
        )
    checks.done()
    assert data.starts_at is not None
    assert data.ends_at is not None
    run = CourseRun(
        course_id=course.id,
        code=code or f"{course.code}-{data.starts_at:%Y%m%d}-{len(course.runs) + 1}",
        starts_at=data.starts_at,
        ends_at=data.ends_at,
        location=location or None,
        online=bool(data.online),
        capacity=data.capacity,
        enrolment_deadline=data.enrolment_deadline,
        approval_required=bool(data.approval_required),
    )
    replace_sessions(run, sessions or [])
    session.add(run)
    touch(course)
    session.flush()
    record_change(
        session,
        actor_id=actor.person_id,
        entity_type="CourseRun",
        entity_id=run.id,
        course_id=run.course_id,
        action=AuditAction.RUN_CREATED,
        details={"course_id": course.id, "sessions": len(run.sessions)},
    )
    return run


def update_run(session: Session, *, actor: Viewer, run_id: int, data: RunData) -> CourseRun:
    run = get_run(session, run_id)
    if run.cancelled_at is not None:
        raise DomainError(ErrorCode.ARCHIVED, "Holdet er aflyst.", field="id")
    checks = Checks()
    location, sessions = _check(
        checks,
        data,
        starts_at=data.starts_at or run.starts_at,
        ends_at=data.ends_at or run.ends_at,
        creating=False,
        previous_start=run.starts_at,
        run=run,
    )
    if data.capacity is not None and data.capacity >= 1:  # below 1 is already refused
        taken = seats_taken(session, [run.id]).get(run.id, 0)
        if data.capacity < taken:
            checks.fail(
                "capacity",
                ErrorCode.CONFLICT,
                f"Holdet har allerede {taken} deltagere; pladserne kan ikke sættes lavere.",
            )
    checks.done()
    changes: dict[str, object] = {
        "starts_at": data.starts_at,
        "ends_at": data.ends_at,
        "location": (location or None) if data.location is not None else None,
        "online": data.online,
        "capacity": data.capacity,
        "enrolment_deadline": data.enrolment_deadline,
        "approval_required": data.approval_required,
    }
    changed = sorted(n for n, v in changes.items() if v is not None and getattr(run, n) != v)
    for name in changed:
        setattr(run, name, changes[name])
    if data.unlimited and run.capacity is not None:
        run.capacity = None
        changed.append("capacity")
    if sessions is not None and replace_sessions(run, sessions):
        changed.append("sessions")
    if changed:
        touch(run.course)
        record_change(
            session,
            actor_id=actor.person_id,
            entity_type="CourseRun",
            entity_id=run.id,
            course_id=run.course_id,
            action=AuditAction.RUN_UPDATED,
            details={"fields": changed},
        )
    return run


@dataclass(frozen=True)
class RunCancellation:
    run: CourseRun
    #: Enrolments this cancellation withdrew (0 when the run was cancelled already).
    withdrawn: int


def cancel_run(
    session: Session, *, actor: Viewer, run_id: int, reason: str | None
) -> RunCancellation:
    """Cancel a run and withdraw everyone on it or waiting for it, with the reason.

    Cancelling twice changes nothing. The leaders see their enrolment WITHDRAWN
    with "Holdet er aflyst: <reason>"; the LMS hears of every place given up.
    """
    run = get_run(session, run_id)
    withdrawn = 0
    if run.cancelled_at is None:
        checks = Checks()
        cleaned = checks.text(
            "reason", reason, label="Begrundelsen", max_length=2000, required=False, multiline=True
        )
        checks.done()
        run.cancelled_at = utcnow()
        touch(run.course)
        withdrawn = withdraw_everyone_from(
            session,
            run,
            actor_id=actor.person_id,
            now=run.cancelled_at,
            reason=f"Holdet er aflyst: {cleaned}" if cleaned else "Holdet er aflyst.",
        )
        record_change(
            session,
            actor_id=actor.person_id,
            entity_type="CourseRun",
            entity_id=run.id,
            course_id=run.course_id,
            action=AuditAction.RUN_CANCELLED,
            reason=cleaned or None,
            details={"withdrawn_enrolments": withdrawn},
        )
    return RunCancellation(run=run, withdrawn=withdrawn)
