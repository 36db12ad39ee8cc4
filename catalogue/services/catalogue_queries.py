"""Read-side queries of the course catalogue, shared by GraphQL and the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from catalogue.models import (
    Activity,
    CompetenceLink,
    Course,
    CourseStatus,
    Enrolment,
    EnrolmentStatus,
)

SEAT_HOLDING_STATUSES = (
    EnrolmentStatus.APPROVED,
    EnrolmentStatus.ENROLLED,
    EnrolmentStatus.IN_PROGRESS,
    EnrolmentStatus.COMPLETED,
)


def courses_statement(
    *, statuses: Sequence[CourseStatus] = (CourseStatus.PUBLISHED,)
) -> Select[Course]:
    """Courses in a stable order: title, then id."""
    return select(Course).where(Course.status.in_(statuses)).order_by(Course.title, Course.id)


def seats_taken(session: Session, run_ids: Sequence[int]) -> dict[int, int]:
    """How many seats each run has given away (approved, enrolled, underway or completed)."""
    rows = session.execute(
        select(Enrolment.course_run_id, func.count())
        .where(
            Enrolment.course_run_id.in_(run_ids),
            Enrolment.status.in_(SEAT_HOLDING_STATUSES),
        )
        .group_by(Enrolment.course_run_id)
    ).all()
    return dict(rows)


def activities_changed_statement(
    *, updated_since: datetime | None, include_drafts: bool
) -> Select[Activity]:
    """Activities of published (and archived) courses, oldest change first, for mirroring."""
    statuses = [CourseStatus.PUBLISHED, CourseStatus.ARCHIVED]
    if include_drafts:
        statuses.append(CourseStatus.DRAFT)
    statement = (
        select(Activity)
        .join(Course, Course.id == Activity.course_id)
        .where(Course.status.in_(statuses))
        .order_by(Activity.updated_at, Activity.id)
    )
    if updated_since is not None:
        statement = statement.where(Activity.updated_at >= updated_since)
    return statement


def links_changed_statement(
    *, updated_since: datetime | None, include_drafts: bool
) -> Select[CompetenceLink]:
    """Competence links (removed ones as tombstones), oldest change first, for mirroring."""
    statuses = [CourseStatus.PUBLISHED, CourseStatus.ARCHIVED]
    if include_drafts:
        statuses.append(CourseStatus.DRAFT)
    course_id = func.coalesce(CompetenceLink.course_id, Activity.course_id)
    statement = (
        select(CompetenceLink)
        .outerjoin(Activity, Activity.id == CompetenceLink.activity_id)
        .join(Course, Course.id == course_id)
        .where(Course.status.in_(statuses))
        .order_by(CompetenceLink.updated_at, CompetenceLink.id)
    )
    if updated_since is not None:
        statement = statement.where(CompetenceLink.updated_at >= updated_since)
    else:
        statement = statement.where(CompetenceLink.removed_at.is_(None))
    return statement
