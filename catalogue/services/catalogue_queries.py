"""Read-side queries of the course catalogue, shared by GraphQL and the CLI."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import Session

from catalogue.models import (
    Activity,
    CompetenceLink,
    Course,
    CourseRun,
    CourseRunSession,
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


def seats_taken(session: Session, run_ids: Sequence[int] | Select[int]) -> dict[int, int]:
    """How many seats each run has given away (approved, enrolled, underway or completed).

    ``run_ids`` may be a SELECT of ids: a page's runs then cost no bound parameter each.
    """
    rows = session.execute(
        select(Enrolment.course_run_id, func.count())
        .where(
            Enrolment.course_run_id.in_(run_ids),
            Enrolment.status.in_(SEAT_HOLDING_STATUSES),
        )
        .group_by(Enrolment.course_run_id)
    ).all()
    return dict(rows)


def seats_left(capacity: int | None, taken: int) -> int | None:
    """Free seats on a run that has given ``taken`` away; ``None`` when it has no limit."""
    return None if capacity is None else max(capacity - taken, 0)


def course_activities_statement(course_ids: Sequence[int]) -> Select[Activity]:
    """The courses' activities in course order: position, then id."""
    return (
        select(Activity)
        .where(Activity.course_id.in_(course_ids))
        .order_by(Activity.position, Activity.id)
    )


def course_runs_statement(course_ids: Sequence[int]) -> Select[CourseRun]:
    """The courses' runs by start, then id."""
    return (
        select(CourseRun)
        .where(CourseRun.course_id.in_(course_ids))
        .order_by(CourseRun.starts_at, CourseRun.id)
    )


def run_sessions_statement(run_ids: Sequence[int]) -> Select[CourseRunSession]:
    """The runs' sessions by start, then id, removed ones (tombstones) too."""
    return (
        select(CourseRunSession)
        .where(CourseRunSession.course_run_id.in_(run_ids))
        .order_by(CourseRunSession.starts_at, CourseRunSession.id)
    )


def current_links_statement(
    *,
    course_ids: Sequence[int] | None = None,
    activity_ids: Sequence[int] | Select[int] | None = None,
) -> Select[CompetenceLink]:
    """Links not removed, to these courses or activities, by statement, then id."""
    targets = []
    if course_ids is not None:
        targets.append(CompetenceLink.course_id.in_(course_ids))
    if activity_ids is not None:
        targets.append(CompetenceLink.activity_id.in_(activity_ids))
    return (
        select(CompetenceLink)
        .where(CompetenceLink.removed_at.is_(None), or_(false(), *targets))
        .order_by(CompetenceLink.statement_id, CompetenceLink.id)
    )


def activities_changed_statement(
    *, updated_since: datetime | None, include_drafts: bool
) -> Select[Activity]:
    """Activities of published (and archived) courses, for mirroring.

    In id order, which no edit changes, so a pull that pages while HR edits gets
    each activity once (``catalogue.services.keyset``).
    """
    statuses = [CourseStatus.PUBLISHED, CourseStatus.ARCHIVED]
    if include_drafts:
        statuses.append(CourseStatus.DRAFT)
    statement = (
        select(Activity)
        .join(Course, Course.id == Activity.course_id)
        .where(Course.status.in_(statuses))
        .order_by(Activity.id)
    )
    if updated_since is not None:
        statement = statement.where(Activity.updated_at >= updated_since)
    return statement


def links_changed_statement(
    *, updated_since: datetime | None, include_drafts: bool
) -> Select[CompetenceLink]:
    """Competence links (removed ones as tombstones), for mirroring, in id order as activities."""
    statuses = [CourseStatus.PUBLISHED, CourseStatus.ARCHIVED]
    if include_drafts:
        statuses.append(CourseStatus.DRAFT)
    course_id = func.coalesce(CompetenceLink.course_id, Activity.course_id)
    statement = (
        select(CompetenceLink)
        .outerjoin(Activity, Activity.id == CompetenceLink.activity_id)
        .join(Course, Course.id == course_id)
        .where(Course.status.in_(statuses))
        .order_by(CompetenceLink.id)
    )
    if updated_since is not None:
        statement = statement.where(CompetenceLink.updated_at >= updated_since)
    else:
        statement = statement.where(CompetenceLink.removed_at.is_(None))
    return statement
