"""What HR's pages show, each read in a fixed number of queries however many rows there are.

The lists page in SQL (``LIMIT``/``OFFSET`` over the services' own statements:
``course_search_statement``, ``audit_statement``, ``sync_runs_statement``), and the
counts beside each row come from one grouped query per page, never one per row.
Coverage is ``services.coverage.competence_coverage`` as it is.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session, selectinload

from catalogue.models import (
    Activity,
    AuditLogEntry,
    CompetenceLink,
    CompetenceStatement,
    Course,
    CourseRun,
    CourseStatus,
    Person,
    SyncKind,
    SyncRun,
)
from catalogue.services.audit import AuditAction, audit_statement
from catalogue.services.catalogue_queries import current_links_statement, seats_taken
from catalogue.services.course_search import CourseFilter, CourseOrder, course_search_statement
from catalogue.services.coverage import StatementCoverage, competence_coverage
from catalogue.services.identity import Viewer
from catalogue.services.lms_sync import sync_runs_statement
from catalogue.services.profiles import current_profile

PAGE_SIZE = 50
T = TypeVar("T")


@dataclass(frozen=True)
class Paging:
    page: int
    total: int
    size: int = PAGE_SIZE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.size

    @property
    def previous(self) -> int | None:
        return self.page - 1 if self.page > 1 else None

    @property
    def next(self) -> int | None:
        return self.page + 1 if self.page < self.pages else None


def _page_of(session: Session, statement: Select[T], page: int) -> tuple[list[T], Paging]:
    """One count and one page of rows; a page past the end shows the last one."""
    total = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    paging = Paging(page=max(1, page), total=total or 0)
    if paging.page > paging.pages:
        paging = Paging(page=paging.pages, total=paging.total)
    rows = list(session.scalars(statement.limit(paging.size).offset(paging.offset)))
    return rows, paging


def _pairs(session: Session, statement: Select[Any, Any]) -> dict[Any, Any]:
    """A two-column query as a dict (counts by id, names by id)."""
    return {row[0]: row[1] for row in session.execute(statement)}


@dataclass(frozen=True)
class CourseRow:
    course: Course
    runs: int
    links: int


@dataclass
class CoursesPage:
    rows: list[CourseRow]
    paging: Paging
    counts: dict[CourseStatus, int]


def courses_page(
    session: Session,
    viewer: Viewer,
    *,
    statuses: Sequence[CourseStatus],
    search: str | None,
    page: int,
) -> CoursesPage:
    """HR's list: drafts, published and archived as asked, with runs and links counted."""
    wanted = list(statuses) or list(CourseStatus)
    statement = course_search_statement(
        session,
        CourseFilter(statuses=wanted, search=search),
        viewer=viewer,
        order=CourseOrder.RELEVANCE if search else CourseOrder.TITLE,
    )
    courses, paging = _page_of(session, statement, page)
    ids = [course.id for course in courses]
    runs = _pairs(
        session,
        (
            select(CourseRun.course_id, func.count())
            .where(CourseRun.course_id.in_(ids), CourseRun.cancelled_at.is_(None))
            .group_by(CourseRun.course_id)
        ),
    )
    links = _pairs(
        session,
        (
            select(CompetenceLink.course_id, func.count())
            .where(CompetenceLink.course_id.in_(ids), CompetenceLink.removed_at.is_(None))
            .group_by(CompetenceLink.course_id)
        ),
    )
    counts = _pairs(session, (select(Course.status, func.count()).group_by(Course.status)))
    rows = [CourseRow(c, runs.get(c.id, 0), links.get(c.id, 0)) for c in courses]
    return CoursesPage(rows=rows, paging=paging, counts=counts)


@dataclass(frozen=True)
class RunLine:
    run: CourseRun
    taken: int


@dataclass
class EditorPage:
    course: Course
    activities: list[Activity]
    runs: list[RunLine]
    links: list[CompetenceLink]
    statements: list[CompetenceStatement]


def editor_page(session: Session, course_id: int) -> EditorPage | None:
    """A course with its activities, runs (and sessions), current links and the statements."""
    course = session.get(Course, course_id)
    if course is None:
        return None
    activities = list(
        session.scalars(
            select(Activity)
            .where(Activity.course_id == course.id)
            .order_by(Activity.archived_at.is_not(None), Activity.position, Activity.id)
        )
    )
    runs = list(
        session.scalars(
            select(CourseRun)
            .where(CourseRun.course_id == course.id)
            .order_by(CourseRun.starts_at, CourseRun.id)
            .options(selectinload(CourseRun.all_sessions))
        )
    )
    taken = seats_taken(session, [run.id for run in runs]) if runs else {}
    profile = current_profile(session)
    links: list[CompetenceLink] = []
    statements: list[CompetenceStatement] = []
    if profile is not None:
        activity_ids = [a.id for a in activities]
        links = [
            link
            for link in session.scalars(
                current_links_statement(course_ids=[course.id], activity_ids=activity_ids).options(
                    selectinload(CompetenceLink.statement)
                )
            )
            if link.statement.profile_id == profile.id
        ]
        statements = list(
            session.scalars(
                select(CompetenceStatement)
                .where(CompetenceStatement.profile_id == profile.id)
                .order_by(CompetenceStatement.field_id, CompetenceStatement.position)
            )
        )
    return EditorPage(
        course=course,
        activities=activities,
        runs=[RunLine(run, taken.get(run.id, 0)) for run in runs],
        links=links,
        statements=statements,
    )


@dataclass
class CoveragePage:
    rows: list[StatementCoverage]
    titles: dict[int, str]

    @property
    def gaps(self) -> int:
        return sum(1 for row in self.rows if row.is_gap)


def coverage_page(session: Session) -> CoveragePage:
    """Every statement of the current profile, gaps first, with the linked courses' titles."""
    profile = current_profile(session)
    if profile is None:
        return CoveragePage([], {})
    rows = competence_coverage(session, profile_id=profile.id)
    ids = {cid for row in rows for cid in (*row.primary_course_ids, *row.supporting_course_ids)}
    titles = _pairs(session, (select(Course.id, Course.title).where(Course.id.in_(ids))))
    return CoveragePage(rows, titles)


@dataclass(frozen=True)
class AuditFilter:
    action: AuditAction | None = None
    entity_type: str | None = None
    course_id: int | None = None
    since: datetime | None = None
    until: datetime | None = None


@dataclass
class AuditPage:
    entries: list[AuditLogEntry]
    paging: Paging
    names: dict[int, str]
    entity_types: list[str]


def audit_page(session: Session, criteria: AuditFilter, *, page: int) -> AuditPage:
    """The log newest first, filtered; who did it and whom it concerned, named in one query."""
    statement = audit_statement(
        action=criteria.action,
        entity_type=criteria.entity_type,
        course_id=criteria.course_id,
        since=criteria.since,
        until=criteria.until,
    )
    entries, paging = _page_of(session, statement, page)
    people = {e.actor_id for e in entries} | {e.person_id for e in entries}
    people.discard(None)
    names = _pairs(session, (select(Person.id, Person.name).where(Person.id.in_(people))))
    types = list(
        session.scalars(
            select(AuditLogEntry.entity_type).distinct().order_by(AuditLogEntry.entity_type)
        )
    )
    return AuditPage(entries, paging, names, types)


@dataclass
class SyncPage:
    runs: list[SyncRun]
    paging: Paging
    names: dict[int, str]


def sync_page(session: Session, *, kind: SyncKind | None, page: int) -> SyncPage:
    runs, paging = _page_of(session, sync_runs_statement(kind), page)
    ids = {run.requested_by_id for run in runs if run.requested_by_id is not None}
    names = _pairs(session, (select(Person.id, Person.name).where(Person.id.in_(ids))))
    return SyncPage(runs, paging, names)
