"""HR's coverage overview: for each statement, what builds it, and where the gaps are."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from catalogue.models import (
    Activity,
    CompetenceLink,
    CompetenceStatement,
    Course,
    CourseRun,
    CourseStatus,
    LinkStrength,
)
from catalogue.models.base import utcnow
from catalogue.services.catalogue_queries import seats_taken


@dataclass
class StatementCoverage:
    statement: CompetenceStatement
    primary_course_ids: list[int] = field(default_factory=list)
    supporting_course_ids: list[int] = field(default_factory=list)
    primary_activity_ids: list[int] = field(default_factory=list)
    supporting_activity_ids: list[int] = field(default_factory=list)
    upcoming_runs: int = 0
    seats_left: int | None = 0

    @property
    def is_gap(self) -> bool:
        """No published course builds this statement as PRIMARY, directly or by an activity."""
        return not self.primary_course_ids and not self.primary_activity_ids


def competence_coverage(session: Session, *, profile_id: int) -> list[StatementCoverage]:
    """Every statement of the profile, gaps first, then in document order; four queries."""
    statements = session.scalars(
        select(CompetenceStatement)
        .join(CompetenceStatement.field)
        .where(CompetenceStatement.profile_id == profile_id)
        .order_by(CompetenceStatement.field_id, CompetenceStatement.position)
    ).all()
    coverage = {s.id: StatementCoverage(statement=s) for s in statements}
    course_id = func.coalesce(CompetenceLink.course_id, Activity.course_id)
    links = session.execute(
        select(CompetenceLink, course_id)
        .outerjoin(Activity, Activity.id == CompetenceLink.activity_id)
        .join(Course, Course.id == course_id)
        .where(
            CompetenceLink.statement_id.in_(coverage),
            CompetenceLink.removed_at.is_(None),
            Course.status == CourseStatus.PUBLISHED,
        )
        .order_by(CompetenceLink.id)
    ).all()
    courses_by_statement: dict[int, set[int]] = defaultdict(set)
    for link, linked_course_id in links:
        entry = coverage[link.statement_id]
        primary = link.strength is LinkStrength.PRIMARY
        if link.activity_id is not None:
            (entry.primary_activity_ids if primary else entry.supporting_activity_ids).append(
                link.activity_id
            )
        else:
            (entry.primary_course_ids if primary else entry.supporting_course_ids).append(
                linked_course_id
            )
        courses_by_statement[link.statement_id].add(linked_course_id)

    now = utcnow()
    all_courses = set().union(*courses_by_statement.values()) if courses_by_statement else set()
    runs = session.scalars(
        select(CourseRun).where(
            CourseRun.course_id.in_(all_courses),
            CourseRun.starts_at > now,
            CourseRun.cancelled_at.is_(None),
        )
    ).all()
    taken = seats_taken(session, [run.id for run in runs])
    runs_by_course: dict[int, list[CourseRun]] = defaultdict(list)
    for run in runs:
        runs_by_course[run.course_id].append(run)
    for statement_id, course_ids in courses_by_statement.items():
        entry = coverage[statement_id]
        upcoming = [run for cid in course_ids for run in runs_by_course[cid]]
        entry.upcoming_runs = len(upcoming)
        if any(run.capacity is None for run in upcoming):
            entry.seats_left = None
        else:
            entry.seats_left = sum(
                max((run.capacity or 0) - taken.get(run.id, 0), 0) for run in upcoming
            )
    ordered = list(coverage.values())
    return sorted(ordered, key=lambda entry: not entry.is_gap)
