"""Enrolment reconciliation: the LMS's course lists checked against the catalogue's places.

The outbox covers every change as it happens; this pass catches what it could
not: courses mapped to the LMS after people enrolled, events whose person was
not yet a user in the LMS, enrolments changed by hand in the LMS. For each
mapped course it enrols everyone holding a place (approved, enrolled,
underway) who is missing, and unenrols people whose only enrolments on the
course are withdrawn. It never removes anyone the catalogue does not know
about: teachers and people enrolled by other means stay.
"""

from __future__ import annotations

from sqlalchemy import select

from catalogue.models import Course, CourseRun, Enrolment, EnrolmentStatus, Person
from catalogue.services.lms_sync.context import SyncContext
from catalogue.services.lms_sync.delivery import KEEPS_LMS_PLACE
from catalogue.services.lms_sync.runs import Change
from catalogue.services.lms_sync.users import lms_user_id

HOLDS_PLACE = frozenset(
    {EnrolmentStatus.APPROVED, EnrolmentStatus.ENROLLED, EnrolmentStatus.IN_PROGRESS}
)


def reconcile_enrolments(ctx: SyncContext) -> None:
    courses = ctx.session.scalars(
        select(Course)
        .where(
            Course.lms_course_id.is_not(None),
            Course.id.in_(
                select(CourseRun.course_id)
                .join(Enrolment, Enrolment.course_run_id == CourseRun.id)
                .where(Enrolment.status.in_(HOLDS_PLACE | {EnrolmentStatus.WITHDRAWN}))
            ),
        )
        .order_by(Course.id)
    ).all()
    for course in courses:
        _reconcile_course(ctx, course)


def _reconcile_course(ctx: SyncContext, course: Course) -> None:
    assert course.lms_course_id is not None
    lms_course_id = int(course.lms_course_id)
    with ctx.item("kursus", course.code, count=False) as fetched:
        enrolled = ctx.gateway.enrolled_user_ids(lms_course_id)
    if fetched.failed:
        return
    statuses: dict[int, set[EnrolmentStatus]] = {}
    rows = ctx.session.execute(
        select(Enrolment.person_id, Enrolment.status)
        .join(CourseRun, CourseRun.id == Enrolment.course_run_id)
        .where(CourseRun.course_id == course.id)
    )
    for person_id, status in rows:
        statuses.setdefault(person_id, set()).add(status)
    for person_id in sorted(statuses):
        held = statuses[person_id]
        should_be_on = bool(held & HOLDS_PLACE)
        should_be_off = EnrolmentStatus.WITHDRAWN in held and not held & KEEPS_LMS_PLACE
        if not (should_be_on or should_be_off):
            continue
        person = ctx.session.get(Person, person_id)
        assert person is not None
        with ctx.item("tilmelding", f"{course.code}/{person.email}") as result:
            user_id = lms_user_id(ctx, person)
            if should_be_on and user_id not in enrolled:
                if not ctx.dry_run:
                    ctx.gateway.enrol(user_id=user_id, course_id=lms_course_id)
                result.add(Change.CREATED, f"{person.email} tilmeldt {course.code}")
            elif should_be_off and user_id in enrolled:
                if not ctx.dry_run:
                    ctx.gateway.unenrol(user_id=user_id, course_id=lms_course_id)
                result.add(Change.UPDATED, f"{person.email} afmeldt {course.code}")
