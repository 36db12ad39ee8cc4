"""Completion pull: the LMS's completion facts recorded in the catalogue.

For every enrolment holding a place on a course mapped to the LMS, the
person's activity completions are read and each completed, mapped activity is
recorded through ``services.completions.record_completion`` as the LMS
service account (source LMS), which rolls them up into the enrolment's status
and so into the leader's progress. A course the LMS itself reports completed
is recorded as a course completion too. Recording is idempotent there: a
completion seen twice counts once.

Completion in Moodle arrives late (cron aggregates it), so a completion that is
not there yet is simply picked up by a later pull. A person who is not yet a
user in the LMS is not an error here: they are counted as unchanged with a
warning.
"""

from __future__ import annotations

from sqlalchemy import select

from catalogue.models import Course, CourseRun, Enrolment, Person, Role
from catalogue.models.base import utcnow
from catalogue.services.completions import ROLL_UP_STATUSES, record_completion
from catalogue.services.errors import DomainError, ErrorCode
from catalogue.services.identity import Viewer
from catalogue.services.lms_sync.context import SyncContext
from catalogue.services.lms_sync.runs import Change
from catalogue.services.lms_sync.users import LmsUserNotFoundError, lms_user_id


def lms_service_account(ctx: SyncContext) -> Viewer:
    """The person the LMS acts as; completions are recorded in its name."""
    account = ctx.session.scalar(
        select(Person)
        .where(Person.is_lms.is_(True), Person.active.is_(True))
        .order_by(Person.id)
        .limit(1)
    )
    if account is None:
        raise DomainError(
            ErrorCode.NOT_FOUND,
            "Der findes ingen aktiv servicekonto med rollen LMS; opret en, så "
            "gennemførelser fra LMS'et kan registreres i dens navn.",
        )
    return Viewer(person_id=account.id, email=account.email, roles=frozenset({Role.LMS}))


def pull_completions(ctx: SyncContext) -> None:
    actor = lms_service_account(ctx)
    enrolment_ids = ctx.session.scalars(
        select(Enrolment.id)
        .join(CourseRun, CourseRun.id == Enrolment.course_run_id)
        .join(Course, Course.id == CourseRun.course_id)
        .where(Course.lms_course_id.is_not(None), Enrolment.status.in_(ROLL_UP_STATUSES))
        .order_by(Enrolment.id)
    ).all()
    for enrolment_id in enrolment_ids:
        with ctx.item("tilmelding", enrolment_id) as result:
            for change, note in _pull_one(ctx, actor, enrolment_id):
                result.add(change, note)


def _pull_one(ctx: SyncContext, actor: Viewer, enrolment_id: int) -> list[tuple[Change, str]]:
    enrolment = ctx.session.get(Enrolment, enrolment_id)
    if enrolment is None or enrolment.status not in ROLL_UP_STATUSES:
        return []
    course = enrolment.course_run.course
    assert course.lms_course_id is not None
    try:
        user_id = lms_user_id(ctx, enrolment.person)
    except LmsUserNotFoundError as exc:
        ctx.tally.warn("tilmelding", enrolment_id, exc.code.value, exc.message)
        return []
    lms_course_id = int(course.lms_course_id)
    activities = {a.lms_module_id: a for a in course.activities if a.lms_module_id}
    changes: list[tuple[Change, str]] = []
    who = enrolment.person.email
    listing = ctx.gateway.activity_completions(course_id=lms_course_id, user_id=user_id)
    for warning in listing.warnings:
        ctx.tally.warn("tilmelding", enrolment_id, warning.warningcode, warning.message)
    for completion in listing:
        activity = activities.get(str(completion.cmid)) if completion.cmid is not None else None
        if activity is None or not completion.completed:
            continue
        recorded = record_completion(
            ctx.session,
            actor=actor,
            completed_at=completion.time_completed or utcnow(),
            enrolment_id=enrolment.id,
            activity_id=activity.id,
        )
        if recorded.created:
            changes.append((Change.CREATED, f"{who} gennemførte {activity.code}"))
    if enrolment.status in ROLL_UP_STATUSES:  # not completed by the activities just recorded
        course_completion = ctx.gateway.course_completion(course_id=lms_course_id, user_id=user_id)
        if course_completion is not None and course_completion.completed:
            recorded = record_completion(
                ctx.session,
                actor=actor,
                completed_at=course_completion.time_completed or utcnow(),
                enrolment_id=enrolment.id,
            )
            if recorded.created:
                changes.append((Change.UPDATED, f"{who} gennemførte {course.code}"))
    return changes
